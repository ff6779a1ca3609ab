using System.Text.Json.Serialization;

namespace Bakery.Functions.Runtime;

/// <summary>The error document Lambda expects on <c>/error</c> and <c>/init/error</c>; Step Functions matches on <see cref="ErrorType"/>.</summary>
internal sealed record RuntimeError
{
    [JsonPropertyName("errorType")]
    public required string ErrorType { get; init; }
    [JsonPropertyName("errorMessage")]
    public required string ErrorMessage { get; init; }
    [JsonPropertyName("stackTrace")]
    public IReadOnlyList<string> StackTrace { get; init; } = [];
}
