using System.Text.Json.Serialization;

namespace Bakery.Core.Triggers.Wire;

/// <summary>The <c>detail</c> of an S3 <c>Object Created</c> event.</summary>
public sealed record S3ObjectCreatedDetail
{
    public string? Version { get; init; }
    public S3EventBucket? Bucket { get; init; }
    public S3EventObject? Object { get; init; }
    [JsonPropertyName("request-id")]
    public string? RequestId { get; init; }
    public string? Requester { get; init; }
    public string? Reason { get; init; }
}
