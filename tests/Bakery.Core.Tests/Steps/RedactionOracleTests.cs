using System.Globalization;
using System.Text;
using System.Text.Json;
using Bakery.BuildFiles;
using Bakery.Core.Steps.Internal;
using Bakery.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// The redactor against what real tools print when a script handles a secret: bash and dash tracing with
/// <c>set -x</c> (and bash's printf %q, declare -p, ${x@Q}), Python's and System.Text.Json's JSON, and pwsh tracing
/// a script (Set-PSDebug) that holds the value in Bakery's own PowerShell quoting and printing it as JSON. Each secret
/// is built around random tokens with quotes, dollars, backslashes, tabs, newlines and typographic quotes between
/// them; whatever the quoting, a token survives it literally, so a token left after redaction is a leak.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class RedactionOracleTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bakery-redact-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string> Shapes() => new()
    {
        "{0}'s{1}$w0rd!",
        "{0}\"{1}\\{2}`{3}$(x)",
        "{0}\n{1}\t{2}'\n{3}",
        "{0}\u2019s {1}\u201C{2}\u201D\u2018{3}",
        "{0}\u0001{1}\u001b[0m{2}\u007f{3}",
        "p\u00e4ss{0}w\u00f6rd\u2713{1}<&>+{2}",
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task What_bash_and_dash_print_under_set_x_is_masked(string shape)
    {
        var (secret, tokens) = Secret(shape);
        var script = "set -x; : \"$1\"; x=\"$1\"; echo \"$x\" >/dev/null";
        var bash = await RealShells.RunAsync("/bin/bash", ["-c", script + "; printf '%q\\n' \"$x\"; declare -p x; echo \"${x@Q}\"", "_", secret], folder);
        var dash = await RealShells.RunAsync("/bin/dash", ["-c", script, "_", secret], folder);

        AssertMasked(secret, tokens, bash.Stdout + bash.Stderr);
        AssertMasked(secret, tokens, dash.Stdout + dash.Stderr);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task What_json_encoders_print_is_masked(string shape)
    {
        var (secret, tokens) = Secret(shape);
        var python = await RealShells.RunAsync("python3", ["-c", "import json,sys; print(json.dumps(sys.argv[1])); print(json.dumps(sys.argv[1], ensure_ascii=False))", secret], folder);

        Assert.True(python.ExitCode == 0, python.Stderr);
        AssertMasked(secret, tokens, python.Stdout);
        AssertMasked(secret, tokens, JsonSerializer.Serialize(secret));
        AssertMasked(secret, tokens, JsonSerializer.Serialize(secret, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task What_pwsh_prints_tracing_a_script_that_holds_the_value_is_masked(string shape)
    {
        var (secret, tokens) = Secret(shape);
        var file = Path.Combine(folder, "trace.ps1");
        await File.WriteAllTextAsync(file, $"Set-PSDebug -Trace 1\n$x = {ShellQuoting.Ps(secret)}\n$x | ConvertTo-Json\nWrite-Output $x\n", new UTF8Encoding(false));
        var pwsh = await RealShells.RunPwshFileAsync(file, folder);

        Assert.True(pwsh.ExitCode == 0, pwsh.Stderr);
        Assert.Contains("DEBUG:", pwsh.Stdout, StringComparison.Ordinal);
        AssertMasked(secret, tokens, pwsh.Stdout + pwsh.Stderr);
    }

    [Fact]
    public async Task Every_hostile_value_of_the_corpus_as_part_of_a_secret_is_masked_in_what_bash_and_pwsh_print()
    {
        var values = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "resources", "hostile-shell-values.json")))!;
        var secrets = values.Select(value => Secret("{0}" + value.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal) + "{1}")).ToList();
        var script = new StringBuilder("Set-PSDebug -Trace 1\n");
        for (var i = 0; i < secrets.Count; i++)
        {
            var bash = await RealShells.RunAsync("/bin/bash", ["-c", "set -x; : \"$1\"; printf '%q\\n' \"$1\"; echo \"${1@Q}\"", "_", secrets[i].Secret], folder);
            AssertMasked(secrets[i].Secret, secrets[i].Tokens, bash.Stdout + bash.Stderr);
            script.Append(CultureInfo.InvariantCulture, $"$x{i} = {ShellQuoting.Ps(secrets[i].Secret)}\n");
        }

        var file = Path.Combine(folder, "corpus.ps1");
        await File.WriteAllTextAsync(file, script.ToString(), new UTF8Encoding(false));
        var pwsh = await RealShells.RunPwshFileAsync(file, folder);
        Assert.True(pwsh.ExitCode == 0, pwsh.Stderr);
        var lines = pwsh.Stdout.Split('\n');
        for (var i = 0; i < secrets.Count; i++)
        {
            // Each secret's own trace lines: the one that assigns it, and its continuation lines for a multi-line value.
            var own = string.Join('\n', lines.Where(line => secrets[i].Tokens.Any(token => line.Contains(token, StringComparison.Ordinal))));
            AssertMasked(secrets[i].Secret, secrets[i].Tokens, own);
        }
    }

    private static (string Secret, string[] Tokens) Secret(string shape)
    {
        var tokens = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid().ToString("N")[..10]).ToArray();
        return (string.Format(System.Globalization.CultureInfo.InvariantCulture, shape, [.. tokens]), tokens);
    }

    private static void AssertMasked(string secret, string[] tokens, string output)
    {
        var used = tokens.Where(token => output.Contains(token, StringComparison.Ordinal)).ToList();
        // The oracle printed the value in some form, so masking had something to do.
        Assert.True(used.Count > 0, $"the tool did not print the value: {output}");
        var masked = new Redactor([secret]).Redact(output);
        Assert.Contains(Redactor.Mask, masked, StringComparison.Ordinal);
        var left = used.Where(token => masked.Contains(token, StringComparison.Ordinal)).ToList();
        Assert.True(left.Count == 0, $"left unmasked: {string.Join(", ", left)} in:\n{masked}");
    }
}
