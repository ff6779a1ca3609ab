using System.Text.Json.Serialization;

namespace Bakery.Core.Triggers.Wire;

/// <summary>
/// The EventBridge event S3 sends for a new object (<c>detail-type: Object Created</c>, <c>source: aws.s3</c>), as
/// https://docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html documents it. Prepare reads it; the local
/// stand-in writes it, so local executions get the input AWS would give.
/// </summary>
public sealed record S3ObjectCreatedEvent
{
    public string? Version { get; init; }
    public string? Id { get; init; }
    [JsonPropertyName("detail-type")]
    public string? DetailType { get; init; }
    public string? Source { get; init; }
    public string? Account { get; init; }
    public string? Time { get; init; }
    public string? Region { get; init; }
    public IReadOnlyList<string>? Resources { get; init; }
    public S3ObjectCreatedDetail? Detail { get; init; }
}
