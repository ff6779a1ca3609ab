namespace Bakery.Core.Aws;

/// <summary>An S3 object's content and identity.</summary>
public sealed record StoredObject(string Key, ReadOnlyMemory<byte> Content)
{
    public string? ETag { get; init; }
    public string? VersionId { get; init; }
}
