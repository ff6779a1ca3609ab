namespace Bakery.Local.Instances;

/// <summary>
/// Whether this machine can run local instances: root (mounts and namespaces need it), overlayfs, util-linux's
/// <c>unshare</c> and <c>nsenter</c>, namespaces that really open, and the base image. When it cannot, the reason is one
/// line the stand-in prints once.
/// </summary>
public static class InstanceSupport
{
    /// <summary>Set to <c>off</c> to keep moto's behaviour (commands answer Success without running).</summary>
    public const string EnvironmentVariable = "BAKERY_LOCAL_INSTANCES_MODE";

    /// <summary>Null when instances can run; otherwise why not.</summary>
    public static async Task<string?> WhyNotAsync(BaseImage baseImage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(baseImage);
        if (string.Equals(Environment.GetEnvironmentVariable(EnvironmentVariable), "off", StringComparison.OrdinalIgnoreCase))
        {
            return $"{EnvironmentVariable}=off";
        }

        if (!OperatingSystem.IsLinux())
        {
            return "local instances need Linux (overlayfs and namespaces)";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "not running as root (local instances need root for overlayfs mounts and namespaces)";
        }

        if (!File.Exists("/proc/filesystems") || !(await File.ReadAllTextAsync("/proc/filesystems", cancellationToken).ConfigureAwait(false)).Contains("overlay", StringComparison.Ordinal))
        {
            return "this kernel has no overlayfs";
        }

        var (code, output) = await HostCommand.TryRunAsync("unshare", ["--mount", "--uts", "--ipc", "--pid", "--fork", "--propagation", "private", "nsenter", "--version"], cancellationToken)
            .ConfigureAwait(false);
        if (code != 0)
        {
            return $"namespaces cannot be opened here (unshare: {output.Trim()})";
        }

        if (!baseImage.IsInstalled)
        {
            return $"the base image is not installed (infra/local/base-image.sh install makes it, as root)";
        }

        return null;
    }
}
