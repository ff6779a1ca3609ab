using Bakery.Local.StandIn.Internal;
using Bakery.Local.StepFunctions;

namespace Bakery.Local.StandIn;

/// <summary>
/// What the stand-in needs on a fresh machine, each stage done once and cached: the Native AOT <c>bootstrap</c>
/// (republished when the function sources change), the Step Functions runner's packages (<c>npm ci</c>), moto.
/// A stage that has work to do says so in one progress line; a warm machine prints nothing.
/// </summary>
public sealed class LocalSetup(string repositoryRoot, Action<string>? progress = null)
{
    /// <summary>The published bootstrap the local Lambda service runs.</summary>
    public string BootstrapPath => Path.Combine(repositoryRoot, ".bakery", "local", "bootstrap", "bootstrap");

    public async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        await EnsureBootstrapAsync(cancellationToken).ConfigureAwait(false);
        await EnsureStepFunctionsAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureBootstrapAsync(CancellationToken cancellationToken)
    {
        var stamp = BootstrapPath + ".built";
        if (File.Exists(BootstrapPath) && File.Exists(stamp) && !SourcesNewerThan(File.GetLastWriteTimeUtc(stamp)))
        {
            return;
        }

        progress?.Invoke("Publishing the Lambda bootstrap (Native AOT, first run or sources changed; takes a few minutes)...");
        var output = Path.GetDirectoryName(BootstrapPath)!;
        await ScriptRunner.RunAsync(
            "dotnet",
            ["publish", Path.Combine(repositoryRoot, "functions", "Bakery.Functions"), "-r", "linux-x64", "-c", "Release", "-o", output, "--nologo", "-v", "q"],
            repositoryRoot,
            cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(stamp, DateTimeOffset.UtcNow.ToString("O"), cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureStepFunctionsAsync(CancellationToken cancellationToken)
    {
        var toolchain = new LocalStepFunctionsToolchain(repositoryRoot);
        if (!File.Exists(toolchain.NodePath))
        {
            progress?.Invoke("Installing the local Step Functions runner (npm ci, first run only)...");
        }

        await toolchain.EnsureInstalledAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task EnsureMotoAsync(CancellationToken cancellationToken)
    {
        var status = await ScriptRunner.RunAsync("bash", [MotoScript, "status"], repositoryRoot, cancellationToken).ConfigureAwait(false);
        if (status.Contains("not installed", StringComparison.OrdinalIgnoreCase))
        {
            progress?.Invoke("Installing moto, the local AWS stand-in (first run only; about a minute)...");
        }

        await ScriptRunner.RunAsync("bash", [MotoScript, "install"], repositoryRoot, cancellationToken).ConfigureAwait(false);
    }

    internal string MotoScript => Path.Combine(repositoryRoot, "infra", "local", "moto.sh");

    private bool SourcesNewerThan(DateTime stampUtc)
    {
        var roots = new[] { Path.Combine(repositoryRoot, "functions"), Path.Combine(repositoryRoot, "Directory.Build.props"), Path.Combine(repositoryRoot, "Directory.Packages.props") };
        foreach (var root in roots)
        {
            if (File.Exists(root))
            {
                if (File.GetLastWriteTimeUtc(root) > stampUtc)
                {
                    return true;
                }

                continue;
            }

            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                {
                    continue;
                }

                if (File.GetLastWriteTimeUtc(file) > stampUtc)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
