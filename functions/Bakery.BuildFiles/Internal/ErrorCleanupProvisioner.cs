namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Packer's <c>error-cleanup-provisioner</c> (JSON: a top-level key; HCL2: a block in <c>build</c>, Packer 1.7+): run on
/// the instance when a provisioner fails, before the instance is torn down; the build then fails with the original
/// error (or "Cleanup failed: ... Original Provisioning error: ..." when it fails too, as packer 1.6.6 reports it).
/// Refused in both formats with one reason until the workflow runs it.
/// </summary>
internal static class ErrorCleanupProvisioner
{
    public const string Key = "error-cleanup-provisioner";

    public const string Refusal =
        "error-cleanup-provisioner is not supported by Bakery yet: a failed Provision step goes straight to Teardown, "
        + "which terminates the instance without running anything on it; do the cleanup in the failing script itself "
        + "(e.g. trap 'cleanup' EXIT in a shell script), or remove the block";
}
