using System.Text.Json.Serialization;

namespace Bakery.Core.Triggers.Wire;

/// <summary><c>detail.object</c> of an S3 event. <see cref="Sequencer"/> is unique per write of a key and the same in a duplicate delivery.</summary>
public sealed record S3EventObject
{
    public string? Key { get; init; }
    public long? Size { get; init; }
    public string? Etag { get; init; }
    [JsonPropertyName("version-id")]
    public string? VersionId { get; init; }
    public string? Sequencer { get; init; }
}
