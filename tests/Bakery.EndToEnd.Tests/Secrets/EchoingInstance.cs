using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// What a builder instance running an AWS-RunShellScript command would print in the worst case for secrets: every
/// script it was sent, printed whole on standard output (a script that cats itself, or echoes its inputs), and every
/// command line traced on standard error (as <c>set -x</c> does, with the values of environment_vars in it). A literal
/// <c>exit N</c> line in a script ends the command with N. Each command line is also traced by real bash as the
/// argument of another command (<c>set -x; : "$line"</c>, as when a script runs <c>bash -c "..."</c>), which quotes the
/// quoting Bakery put around environment_vars once more. moto runs nothing and reports empty output, so without this
/// the masking of command output could never be put to the test.
/// </summary>
internal static partial class EchoingInstance
{
    public const string PayloadEnd = "BAKERY_PAYLOAD_EOF";

    public static (string Stdout, string Stderr, int ExitCode) Run(IReadOnlyList<string> commands)
    {
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var exitCode = 0;
        StringBuilder? payload = null;
        // The lines a shell would trace: not the heredoc payloads, which it reads as data.
        var traced = new List<string>();
        foreach (var line in commands.SelectMany(command => command.Split('\n')))
        {
            if (payload is not null)
            {
                if (line == PayloadEnd)
                {
                    var script = Encoding.UTF8.GetString(Convert.FromBase64String(payload.ToString()));
                    stdout.Append(script);
                    if (exitCode == 0 && ExitLine().Match(script) is { Success: true } exit)
                    {
                        exitCode = int.Parse(exit.Groups["code"].Value, CultureInfo.InvariantCulture);
                    }

                    payload = null;
                }
                else
                {
                    payload.Append(line.Trim());
                }

                continue;
            }

            stderr.Append("+ ").Append(line).Append('\n');
            traced.Add(line);
            if (line.EndsWith($"<<'{PayloadEnd}'", StringComparison.Ordinal))
            {
                payload = new StringBuilder();
            }
        }

        // The nested trace first, so the output tail still ends with the command's own trace.
        return (stdout.ToString(), BashTrace(traced) + stderr, exitCode);
    }

    /// <summary>What real bash prints under <c>set -x</c> when each line is handed to a command as one argument.</summary>
    private static string BashTrace(IEnumerable<string> lines)
    {
        // ':' prints nothing: only the trace, on standard error, is read.
        var start = new ProcessStartInfo("/bin/bash") { RedirectStandardError = true };
        foreach (var argument in (string[])["-c", "set -x; for line in \"$@\"; do : \"$line\"; done", "_", .. lines])
        {
            start.ArgumentList.Add(argument);
        }

        using var bash = Process.Start(start)!;
        var trace = bash.StandardError.ReadToEnd();
        bash.WaitForExit();
        return trace;
    }

    [GeneratedRegex(@"^\s*exit\s+(?<code>[1-9][0-9]*)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ExitLine();
}
