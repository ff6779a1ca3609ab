namespace Bakery.Core.Bake;

/// <summary>An AMI this build made (the image itself or a region copy) and its snapshots.</summary>
public sealed record ImageInfo
{
    public required string Region { get; init; }
    public required string ImageId { get; init; }
    public string? Name { get; init; }
    public string? State { get; init; }
    public IReadOnlyList<string> SnapshotIds { get; init; } = [];
    /// <summary>For a copy (encrypt_boot, ami_regions): the image it was copied from, as "region:ami-id".</summary>
    public string? CopiedFrom { get; init; }
}
