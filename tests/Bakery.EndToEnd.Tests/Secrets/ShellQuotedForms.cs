using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// The forms a secret takes when a tool quotes it, made by the tools themselves: bash's <c>set -x</c> (once, and
/// again around Packer's environment_vars quoting, as a traced <c>bash -c</c> shows it), bash's printf %q, Python's
/// and System.Text.Json's JSON, and PowerShell's own single-quote escaper. Each is the text between the quotes.
/// </summary>
internal static class ShellQuotedForms
{
    public static async Task<IReadOnlyList<string>> OfAsync(string secret)
    {
        var folder = Path.GetTempPath();
        // Packer's (and Bakery's) quoting of environment_vars values: 'it'"'"'s'.
        var packer = secret.Replace("'", "'\"'\"'", StringComparison.Ordinal);
        var bash = await RealShells.RunAsync("/bin/bash", ["-c", "set -x; : \"$1\"; : \"$2\"; printf '%q\\n' \"$1\"", "_", secret, packer], folder);
        var traced = bash.Stderr.Split('\n').Where(line => line.StartsWith("+ : ", StringComparison.Ordinal)).Select(line => Unquote(line["+ : ".Length..])).ToList();
        var python = await RealShells.RunAsync("python3", ["-c", "import json,sys; print(json.dumps(sys.argv[1])[1:-1])", secret], folder);
        var script = Path.Combine(folder, $"bakery-escape-{Guid.NewGuid():N}.ps1");
        await File.WriteAllTextAsync(script,
            $"[Console]::Out.Write([System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(secret))}'))))");
        var pwsh = await RealShells.RunPwshFileAsync(script, folder);
        File.Delete(script);
        if (bash.ExitCode != 0 || python.ExitCode != 0 || pwsh.ExitCode != 0 || traced.Count != 2)
        {
            throw new InvalidOperationException($"quoting the secret failed: {bash}\n{python}\n{pwsh}");
        }

        // System.Text.Json's default escaping (quotes as \u0027), as the state, the ledger and the logs are written.
        var systemTextJson = System.Text.Json.JsonSerializer.Serialize(secret)[1..^1];
        return [.. new[] { secret, packer, traced[0], traced[1], bash.Stdout.TrimEnd('\n'), python.Stdout.TrimEnd('\n'), pwsh.Stdout, systemTextJson }.Distinct(StringComparer.Ordinal)];
    }

    private static string Unquote(string word) => word.Length >= 2 && word[0] == '\'' && word[^1] == '\'' ? word[1..^1] : word;
}
