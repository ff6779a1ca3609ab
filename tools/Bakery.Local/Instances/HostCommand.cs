using System.ComponentModel;
using CliWrap;
using CliWrap.Buffered;

namespace Bakery.Local.Instances;

/// <summary>Runs a host tool (cp, unshare, nsenter) to its end; a non-zero exit is an error with its output.</summary>
internal static class HostCommand
{
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            // Standard input is empty and closed, as before: a host tool that reads it sees end of file.
            var result = await CliWrap.Cli.Wrap(fileName)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(cancellationToken)
                .ConfigureAwait(false);
            return (result.ExitCode, result.StandardOutput + result.StandardError);
        }
        catch (Exception error) when (error is Win32Exception || error.InnerException is Win32Exception)
        {
            // Not installed: the shell's "command not found" code.
            return (127, $"{fileName}: {(error.InnerException ?? error).Message}");
        }
    }

    public static async Task<string> RunAsync(string fileName, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var list = arguments.ToList();
        var (exitCode, output) = await TryRunAsync(fileName, list, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', list)} failed (exit {exitCode}): {output.Trim()}");
        }

        return output;
    }
}
