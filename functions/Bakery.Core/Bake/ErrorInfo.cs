using System.Text.Json.Serialization;

namespace Bakery.Core.Bake;

/// <summary>What Step Functions' Catch puts at <c>$.error</c>: the error name and its cause.</summary>
public sealed record ErrorInfo
{
    [JsonPropertyName("Error")]
    public string? Error { get; init; }
    [JsonPropertyName("Cause")]
    public string? Cause { get; init; }
}
