using CliWrap;
using CliWrap.Buffered;

namespace Bakery.Conformance.Tests.Oracle;

/// <summary>
/// Real Packer (Debian's <c>packer</c> 1.6.6, installed by infra/local/prerequisites.sh): the reference every Bakery
/// verdict, rendering and AMI is compared with.
/// </summary>
public static class PackerCli
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <c>packer ARGS</c> in <paramref name="workingFolder"/> with the test process's environment plus <paramref name="environment"/>.</summary>
    public static async Task<ToolResult> RunAsync(
        string workingFolder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string? stdin = null)
    {
        var command = CliWrap.Cli.Wrap("packer")
            .WithArguments(arguments)
            .WithWorkingDirectory(workingFolder)
            .WithEnvironmentVariables(variables =>
            {
                foreach (var (name, value) in environment)
                {
                    variables.Set(name, value);
                }

                // No checkpoint calls home, no plugin discovery in the user's folders: the same Packer on every machine.
                variables.Set("CHECKPOINT_DISABLE", "1");
                variables.Set("PACKER_CONFIG_DIR", Path.Combine(Path.GetTempPath(), "bakery-conformance-packer"));
            })
            .WithStandardInputPipe(PipeSource.FromString(stdin ?? string.Empty))
            .WithValidation(CommandResultValidation.None);
        using var timeout = new CancellationTokenSource(RunTimeout);
        try
        {
            // Cancelling kills packer (CliWrap's forceful cancellation).
            var result = await command.ExecuteBufferedAsync(timeout.Token);
            return new ToolResult("packer", result.ExitCode, result.StandardOutput, result.StandardError);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new TimeoutException($"packer {command.Arguments} did not finish within {RunTimeout}");
        }
    }
}
