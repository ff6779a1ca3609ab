namespace Bakery.Core.Aws;

/// <summary>
/// An EC2 resource tagged <c>bakery:managed=true</c>: its id, the build it belongs to (<c>bakery:build-id</c>, null
/// when the tag is missing), and when it was made when EC2 says (instances: launch time).
/// </summary>
public sealed record ManagedResource(string Region, string Id, string? BuildId)
{
    public DateTimeOffset? CreatedAt { get; init; }
    public string? State { get; init; }
    /// <summary>For an image: the snapshots its block device mappings reference.</summary>
    public IReadOnlyList<string> SnapshotIds { get; init; } = [];
}
