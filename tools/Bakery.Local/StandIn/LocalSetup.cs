using Bakery.Local.StandIn.Internal;
using Bakery.Local.StepFunctions;

namespace Bakery.Local.StandIn;

/// <summary>
/// What the stand-in needs on a fresh machine, each stage done once and cached: the Native AOT <c>bootstrap</c>
/// (shared with the tests, republished when the function sources change), the Step Functions runner's packages (<c>npm ci</c>), moto.
/// A stage that has work to do says so in one progress line; a warm machine prints nothing.
/// </summary>
public sealed class LocalSetup(string repositoryRoot, Action<string>? progress = null)
{
    /// <summary>The published bootstrap the local Lambda service runs (shared with deploy.sh and the tests).</summary>
    public string BootstrapPath => new PublishedBootstrapCache(repositoryRoot).ExecutablePath;

    public async Task EnsureAllAsync(CancellationToken cancellationToken)
    {
        await EnsureBootstrapAsync(cancellationToken).ConfigureAwait(false);
        await EnsureStepFunctionsAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task EnsureBootstrapAsync(CancellationToken cancellationToken) =>
        new PublishedBootstrapCache(repositoryRoot).EnsurePublishedAsync(progress, cancellationToken);

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
        if (!status.Contains("not installed", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        progress?.Invoke("Installing moto, the local AWS stand-in (first run only; about a minute)...");
        await ScriptRunner.RunAsync("bash", [MotoScript, "install"], repositoryRoot, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The local instances' base image (Debian trixie minbase, debootstrap; needs root).</summary>
    public async Task EnsureBaseImageAsync(CancellationToken cancellationToken)
    {
        progress?.Invoke("Making the local instances' base image, Debian trixie minbase (first run only; about a minute)...");
        await ScriptRunner.RunAsync("bash", [BaseImageScript, "install"], repositoryRoot, cancellationToken).ConfigureAwait(false);
    }

    internal string BaseImageScript => Path.Combine(repositoryRoot, "infra", "local", "base-image.sh");

    internal string MotoScript => Path.Combine(repositoryRoot, "infra", "local", "moto.sh");
}
