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
    public static Task<ToolResult> RunAsync(
        string workingFolder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string? stdin = null) =>
        RunAsync(
            CliWrap.Cli.Wrap("packer").WithArguments(arguments).WithStandardInputPipe(PipeSource.FromString(stdin ?? string.Empty)),
            workingFolder,
            environment);

    /// <summary>
    /// Runs <c>packer ARGS &lt; INPUTFILE</c> as a shell would: standard input is the file itself, not a pipe. Packer's
    /// console tells the two apart: from a pipe it prints only the value of the last line, from anything else it
    /// answers each line as a user's terminal session does.
    /// </summary>
    public static Task<ToolResult> RunWithInputFileAsync(
        string workingFolder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string inputFile) =>
        RunAsync(
            CliWrap.Cli.Wrap("sh").WithArguments(["-c", "exec packer \"$@\" < \"$0\"", inputFile, .. arguments]),
            workingFolder,
            environment);

    private static async Task<ToolResult> RunAsync(Command packer, string workingFolder, IReadOnlyDictionary<string, string> environment)
    {
        var command = packer
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
