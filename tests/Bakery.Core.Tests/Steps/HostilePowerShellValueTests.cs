using System.Text.Json;
using Bakery.BuildFiles.Model;
using Bakery.Core.Steps.Internal;
using Bakery.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// The commands Provision sends to a Windows instance, run here with real pwsh (the PowerShell .NET global tool) the
/// way AWS-RunPowerShellScript runs them, as one script file, with the hostile environment_vars values of
/// resources/hostile-shell-values.json (PowerShell's four single quotes among them): each value must arrive
/// literally and nothing in it may run.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class HostilePowerShellValueTests : IDisposable
{
    private const string WindowsTemp = "C:/Windows/Temp/";
    private readonly string folder = Directory.CreateTempSubdirectory("bakery-pwsh-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData("{{.Vars}}; & '{{.Path}}'")]
    public async Task Hostile_environment_values_reach_the_script_literally_and_run_nothing(string? executeCommand)
    {
        var values = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "resources", "hostile-shell-values.json")))!;
        var output = Path.Combine(folder, "out");
        var environment = values.Select((value, i) => new KeyValuePair<string, string>($"HOSTILE_{i}", value)).ToList();
        // Each variable NUL-terminated, so newlines and empty values survive the round trip; an empty value unsets
        // the variable in PowerShell, which reads back as empty too.
        var script = environment.Select(pair =>
            $"[IO.File]::AppendAllText('{output}', [string][Environment]::GetEnvironmentVariable('{pair.Key}') + [char]0)").ToList();
        var provisioner = new PowerShellProvisioner { EnvironmentVars = environment, Inline = script, ExecuteCommand = executeCommand };

        var commands = PowerShellCommands.Build(provisioner, "amazon-ebs", "amazon-ebs", [ScriptPayload.FromText(PowerShellCommands.InlineScript(provisioner))], seed: 7);
        // Linux has no C: drive: the scripts go to this test's folder instead, the rest of every command unchanged.
        var file = Path.Combine(folder, "command.ps1");
        await File.WriteAllTextAsync(file, string.Join('\n', commands).Replace(WindowsTemp, folder + "/", StringComparison.Ordinal));
        var (exitCode, stdout, stderr) = await RealShells.RunPwshFileAsync(file, folder);

        Assert.True(exitCode == 0, $"{stdout}\n{stderr}");
        Assert.True(File.Exists(output), $"the script did not run:\n{stdout}\n{stderr}");
        var received = (await File.ReadAllTextAsync(output)).Split('\0')[..^1];
        Assert.Equal(values, received);
        Assert.Empty(Directory.GetFiles(folder, "PWNED*").Concat(Directory.GetFiles(Environment.CurrentDirectory, "PWNED*")));
    }

    [Theory]
    [InlineData("Bob\u2019s")]
    [InlineData("\u2018\u2019\u201A\u201B'")]
    public async Task Every_single_quote_powershell_knows_is_doubled_as_its_own_escaper_does(string value)
    {
        // PowerShell's own CodeGeneration.EscapeSingleQuotedStringContent is the oracle for the escaping.
        var file = Path.Combine(folder, "escape.ps1");
        await File.WriteAllTextAsync(file,
            $"[Console]::Out.Write([System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value))}'))))");
        var (exitCode, stdout, stderr) = await RealShells.RunPwshFileAsync(file, folder);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal("'" + stdout + "'", ShellQuoting.Ps(value));
    }
}
