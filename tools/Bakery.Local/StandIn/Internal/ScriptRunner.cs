using CliWrap;
using CliWrap.Buffered;

namespace Bakery.Local.StandIn.Internal;

/// <summary>Runs a helper process to its end, collecting stdout and stderr; a non-zero exit is an error with both.</summary>
internal static class ScriptRunner
{
    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var result = await CliWrap.Cli.Wrap(fileName)
            .WithArguments(list)
            .WithWorkingDirectory(workingDirectory)
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(cancellationToken)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', list)} failed (exit {result.ExitCode}):\n{result.StandardOutput}{result.StandardError}");
        }

        return result.StandardOutput;
    }
}
