namespace Bakery.Core.Bake;

/// <summary>
/// Where the build's <c>error-cleanup-provisioner</c> is, once Provision failed: its command's progress, as Provision
/// keeps it for the build's provisioners, and, when it failed too, the build's new cause in Packer's words.
/// </summary>
public sealed record ErrorCleanupInfo
{
    public ProvisioningInfo? Provisioning { get; init; }
    /// <summary>"Cleanup failed: X. Original Provisioning error: Y" (packer's StepProvision); null when it succeeded or runs.</summary>
    public string? Failure { get; init; }
}
