namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Packer's <c>error-cleanup-provisioner</c> (JSON: a top-level key holding one provisioner; HCL2: a block in
/// <c>build</c>, Packer 1.7+): run on the instance when provisioning fails, before the instance is torn down; the build
/// then fails with the original error, or with "Cleanup failed: X. Original Provisioning error: Y" when it fails too
/// (packer's StepProvision). The workflow's ErrorCleanup step runs it.
/// </summary>
internal static class ErrorCleanupProvisioner
{
    public const string Key = "error-cleanup-provisioner";

    /// <summary>packer 1.6.6 says "Error decoding provisioner: '' expected a map, got 'slice'" for a list.</summary>
    public static string NotAnObject(string kind) =>
        $"{Key} is one provisioner object, not {kind}: \"{Key}\": {{\"type\": \"shell\", \"inline\": [...]}}";

    /// <summary>HCL2: Packer 1.7+ allows one block in a build.</summary>
    public const string OnePerBuild = "a build has at most one error-cleanup-provisioner block: put its commands in one provisioner";
}
