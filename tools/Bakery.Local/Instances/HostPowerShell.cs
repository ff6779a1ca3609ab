namespace Bakery.Local.Instances;

/// <summary>
/// The host's PowerShell (the <c>PowerShell</c> .NET global tool that infra/local/pwsh.sh installs in the cache) and the
/// .NET runtime it needs, bound read-only into every local instance under <c>/run/bakery</c> (the instance's own tmpfs,
/// so nothing of it reaches an image), for AWS-RunPowerShellScript on images that have no pwsh of their own.
/// </summary>
public sealed record HostPowerShell(string ToolFolder, string DotnetRoot)
{
    /// <summary>Where the tool's folder appears inside an instance.</summary>
    public const string ToolFolderInInstance = "/run/bakery/pwsh";

    /// <summary>Where the .NET root appears inside an instance.</summary>
    public const string DotnetRootInInstance = "/run/bakery/dotnet";

    public const string ExecutableInInstance = ToolFolderInInstance + "/pwsh";

    /// <summary>
    /// What the bound pwsh needs besides the agent's environment: the tool's shim starts <c>dotnet pwsh.dll</c> from
    /// PATH, and minbase images have no ICU (scripts run with .NET's invariant culture).
    /// </summary>
    public static IReadOnlyList<string> EnvironmentInInstance { get; } =
    [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:" + DotnetRootInInstance,
        "DOTNET_ROOT=" + DotnetRootInInstance,
        "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
        "DOTNET_CLI_TELEMETRY_OPTOUT=1",
        "POWERSHELL_TELEMETRY_OPTOUT=1",
    ];

    /// <summary>The installed tool and runtime; null when either is missing (then PowerShell is not run locally).</summary>
    public static HostPowerShell? Find()
    {
        var tool = Path.Combine(LocalInstancePaths.CacheRoot(), "pwsh");
        if (!File.Exists(Path.Combine(tool, "pwsh")) || !File.Exists(Path.Combine(tool, ".bakery-version")))
        {
            return null;
        }

        return FindDotnetRoot() is { } dotnet ? new HostPowerShell(tool, dotnet) : null;
    }

    private static string? FindDotnetRoot()
    {
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } configured)
        {
            candidates.Add(configured);
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var dotnet = new FileInfo(Path.Combine(folder, "dotnet"));
            if (dotnet.Exists)
            {
                // /usr/bin/dotnet is usually a link into the real root (/usr/share/dotnet, /usr/lib/dotnet).
                var target = dotnet.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? dotnet.FullName;
                candidates.Add(Path.GetDirectoryName(target)!);
            }
        }

        candidates.AddRange(["/usr/share/dotnet", "/usr/lib/dotnet"]);
        return candidates.FirstOrDefault(root => Directory.Exists(Path.Combine(root, "shared", "Microsoft.NETCore.App")));
    }
}
