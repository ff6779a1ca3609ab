using System.Text.Json;
using Bakery.BuildFiles.Model;
using Bakery.Core.Steps.Internal;
using Bakery.Testing;
using CliWrap;
using CliWrap.Buffered;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// The commands Provision sends to a Linux instance, run here with /bin/sh the way AWS-RunShellScript runs them,
/// with hostile environment_vars values (resources/hostile-shell-values.json): each value must arrive literally and
/// nothing in it may run.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class HostileShellValueTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bakery-shell-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task Hostile_environment_values_reach_the_script_literally_and_run_nothing()
    {
        var values = JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "resources", "hostile-shell-values.json")))!;
        var output = Path.Combine(folder, "out");
        var environment = values.Select((value, i) => new KeyValuePair<string, string>($"HOSTILE_{i}", value)).ToList();
        // The script prints each variable NUL-terminated, so newlines and empty values survive the round trip.
        var script = string.Concat(environment.Select(pair => $"printf '%s\\0' \"${pair.Key}\" >> {output}\n"));
        var provisioner = new ShellProvisioner { EnvironmentVars = environment, RemoteFolder = folder, Inline = [script] };

        var commands = ShellCommands.Build(provisioner, "amazon-ebs", "amazon-ebs", [ScriptPayload.FromText(ShellCommands.InlineScript(provisioner))], seed: 7);
        var exitCode = await RunShAsync(string.Join('\n', commands));

        Assert.Equal(0, exitCode);
        var received = (await File.ReadAllTextAsync(output)).Split('\0')[..^1];
        Assert.Equal(values, received);
        Assert.Empty(Directory.GetFiles(folder, "PWNED*").Concat(Directory.GetFiles(Environment.CurrentDirectory, "PWNED*")));
    }

    private async Task<int> RunShAsync(string commands)
    {
        var file = Path.Combine(folder, "command.sh");
        await File.WriteAllTextAsync(file, commands);
        var result = await CliWrap.Cli.Wrap("/bin/sh").WithArguments([file]).WithWorkingDirectory(folder).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"{result.StandardOutput}\n{result.StandardError}");
        return result.ExitCode;
    }
}
