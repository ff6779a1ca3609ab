namespace Bakery.Core.Bake;

/// <summary>
/// Where the test of the new AMI is (settings <c>test_image</c>): the fresh instance launched from it, the test commands'
/// progress, and the verdict, which goes into the manifest and the ledger.
/// </summary>
public sealed record ImageTestInfo
{
    /// <summary>The test instance; it is also in <see cref="BakeState.Created"/>, so Teardown and the janitor remove it.</summary>
    public required InstanceInfo Instance { get; init; }
    /// <summary>One of <see cref="ImageTestPhases"/>.</summary>
    public required string Phase { get; init; }
    /// <summary>The test commands' progress, as Provision keeps it for the build's provisioners.</summary>
    public ProvisioningInfo? Provisioning { get; init; }
    /// <summary>Null until the commands finished: true when every one succeeded.</summary>
    public bool? Passed { get; init; }
    /// <summary>One line for people: what ran and how it ended (the failed command, its exit code, the tail of its output).</summary>
    public string? Summary { get; init; }
    /// <summary>What became of the image when the test failed: <c>deregister</c> or <c>tag</c>.</summary>
    public string? OnFailure { get; init; }
}
