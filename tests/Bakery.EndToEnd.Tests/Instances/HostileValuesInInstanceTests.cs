using System.Text;
using System.Text.Json;
using Bakery.BuildFiles.Model;
using Bakery.Core.Steps.Internal;
using Bakery.Local.Instances;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests.Instances;

/// <summary>
/// The hostile-value corpus (resources/hostile-shell-values.json, shared with the host-shell tests of
/// Bakery.Core.Tests) in environment_vars, through the commands Provision generates (ShellCommands, PowerShellCommands:
/// inline scripts, the default and a custom execute_command), sent with SendCommand to a local instance and run there by
/// its sh (Debian's dash) and by pwsh, as on AWS: every value must arrive byte for byte, read back from the instance's
/// own files, and nothing in any value may run (no PWNED file anywhere in the instance). Needs root, as CI runs.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class HostileValuesInInstanceTests(MotoFixture moto) : IAsyncLifetime
{
    private const string Received = "/root/hostile-values";
    private LocalAgentHarness agent = null!;

    public async Task InitializeAsync() => agent = await LocalAgentHarness.StartAsync(moto);

    public async Task DisposeAsync() => await agent.DisposeAsync();

    [Theory]
    [InlineData(null)]
    [InlineData("{{.Vars}} /bin/sh '{{.Path}}' first-arg")]
    public async Task Hostile_environment_values_reach_a_shell_script_in_the_instance_byte_for_byte_and_run_nothing(string? executeCommand)
    {
        var values = await CorpusAsync();
        var environment = Environment(values);
        // Each variable NUL-terminated, so newlines and empty values survive the round trip.
        var script = string.Concat(environment.Select(pair => $"printf '%s\\0' \"${pair.Key}\" >> {Received}\n"));
        var provisioner = new ShellProvisioner { EnvironmentVars = environment, Inline = [script] };
        if (executeCommand is not null)
        {
            provisioner.ExecuteCommand = executeCommand;
        }

        var commands = ShellCommands.Build(provisioner, "amazon-ebs", "amazon-ebs", [ScriptPayload.FromText(ShellCommands.InlineScript(provisioner))], seed: 7);

        await RunAndCheckAsync("AWS-RunShellScript", commands, values);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("{{.Vars}}; & '{{.Path}}'")]
    public async Task Hostile_environment_values_reach_a_powershell_script_in_the_instance_byte_for_byte_and_run_nothing(string? executeCommand)
    {
        await RealShells.PwshAsync();
        agent.Instances.PowerShell = HostPowerShell.Find();
        var values = await CorpusAsync();
        var environment = Environment(values);
        // An empty value unsets the variable in PowerShell, which reads back as empty too.
        var script = environment.Select(pair =>
            $"[IO.File]::AppendAllText('{Received}', [string][Environment]::GetEnvironmentVariable('{pair.Key}') + [char]0)").ToList();
        var provisioner = new PowerShellProvisioner { EnvironmentVars = environment, Inline = script, ExecuteCommand = executeCommand };
        var commands = PowerShellCommands.Build(provisioner, "amazon-ebs", "amazon-ebs", [ScriptPayload.FromText(PowerShellCommands.InlineScript(provisioner))], seed: 7);

        await RunAndCheckAsync("AWS-RunPowerShellScript", commands, values);
    }

    private async Task RunAndCheckAsync(string document, IReadOnlyList<string> commands, string[] values)
    {
        var instanceId = await agent.LaunchAsync();
        var invocation = await agent.WaitAsync(await agent.SendAsync(instanceId, document, commands), instanceId);

        Assert.True(invocation.Status.Value == "Success", $"{invocation.Status.Value} ({invocation.ResponseCode}):\n{invocation.StandardOutputContent}\n{invocation.StandardErrorContent}");
        var instance = agent.Instances.Find(instanceId)!;
        var received = await File.ReadAllBytesAsync(instance.HostPath(Received));
        Assert.Equal(Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(string.Concat(values.Select(value => value + "\0")))), Encoding.UTF8.GetString(received));
        Assert.Equal(Encoding.UTF8.GetBytes(string.Concat(values.Select(value => value + "\0"))), received);
        // Whatever a value ran would have written a PWNED file: in the instance's layer (its /root, /tmp, the agent's
        // folder) or on its /run.
        var pwned = Directory.EnumerateFiles(instance.UpperLayer, "PWNED*", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(instance.HostPath("/run"), "PWNED*", SearchOption.AllDirectories));
        Assert.Empty(pwned);
    }

    private static async Task<string[]> CorpusAsync() =>
        JsonSerializer.Deserialize<string[]>(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "resources", "hostile-shell-values.json")))!;

    private static List<KeyValuePair<string, string>> Environment(string[] values) =>
        [.. values.Select((value, i) => new KeyValuePair<string, string>($"HOSTILE_{i}", value))];
}
