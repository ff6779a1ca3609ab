namespace Bakery.Core.Bake;

/// <summary>
/// Every AWS resource this build created, recorded as soon as it exists, so that Teardown can remove exactly
/// what the build made and nothing else.
/// </summary>
public sealed record CreatedResources
{
    public IReadOnlyList<string> InstanceIds { get; set; } = [];
    public IReadOnlyList<string> SecurityGroupIds { get; set; } = [];
    /// <summary>Images as "region:ami-id", kept until the build succeeds.</summary>
    public IReadOnlyList<string> Images { get; set; } = [];
    /// <summary>Snapshots as "region:snap-id".</summary>
    public IReadOnlyList<string> Snapshots { get; set; } = [];
    public IReadOnlyList<string> StagedKeys { get; set; } = [];
}
