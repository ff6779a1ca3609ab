using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Local.Instances;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests.Instances;

/// <summary>
/// The stand-in's SSM agent for local instances, through the AWS SDK as the functions call it: the proxy in front of
/// moto, a real instance launched by moto's RunInstances, and AWS's documented answers (InvalidInstanceId, the 24,000
/// and 8,000 character caps, executionTimeout, exit 194, output in S3). Needs root, as CI runs.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class LocalSsmAgentTests(MotoFixture moto) : IAsyncLifetime
{
    private LocalAgentHarness agent = null!;

    public async Task InitializeAsync() => agent = await LocalAgentHarness.StartAsync(moto);

    public async Task DisposeAsync() => await agent.DisposeAsync();

    [Fact]
    public async Task An_instance_the_stand_in_did_not_launch_is_an_invalid_instance_id()
    {
        var error = await Assert.ThrowsAsync<InvalidInstanceIdException>(() => SendAsync("i-0123456789abcdef0", "true"));
        Assert.Equal("InvalidInstanceId", error.ErrorCode);
    }

    [Fact]
    public async Task A_launched_instance_is_online_runs_as_root_in_its_own_root_and_a_stopped_one_is_invalid()
    {
        var instanceId = await LaunchAsync();
        var info = await agent.Ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
        {
            InstanceInformationFilterList = [new InstanceInformationFilter { Key = InstanceInformationFilterKey.InstanceIds, ValueSet = [instanceId] }],
        });
        Assert.Equal("Online", Assert.Single(info.InstanceInformationList).PingStatus.Value);

        var invocation = await RunAsync(instanceId, "id -u; cat /etc/debian_version; echo $$; test -e /root/.cache/bakery && echo host-root-visible || echo own-root");
        Assert.Equal("Success", invocation.Status.Value);
        var lines = invocation.StandardOutputContent.Split('\n');
        Assert.Equal("0", lines[0]);
        Assert.StartsWith("13", lines[1], StringComparison.Ordinal);
        Assert.Equal("own-root", lines[3]);

        await agent.Ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [instanceId] });
        await Assert.ThrowsAsync<InvalidInstanceIdException>(() => SendAsync(instanceId, "true"));
    }

    [Fact]
    public async Task Output_is_cut_to_awss_24000_and_8000_characters_and_written_whole_to_s3_when_asked()
    {
        var instanceId = await LaunchAsync();
        using var s3 = StandInClients.S3();
        await s3.PutBucketAsync("agent-output");
        var commandId = await SendAsync(instanceId, "head -c 30000 /dev/zero | tr '\\0' o; echo; head -c 10000 /dev/zero | tr '\\0' e >&2; exit 5",
            bucket: "agent-output");
        var invocation = await WaitAsync(commandId, instanceId);

        Assert.Equal("Failed", invocation.Status.Value);
        Assert.Equal(5, invocation.ResponseCode);
        Assert.Equal(LocalCommandInvocation.StandardOutputLimit, invocation.StandardOutputContent.Length);
        Assert.Equal(LocalCommandInvocation.StandardErrorLimit, invocation.StandardErrorContent.Length);
        using var stdout = await s3.GetObjectAsync("agent-output", $"out/{commandId}/{instanceId}/awsrunShellScript/0.awsrunShellScript/stdout");
        using var reader = new StreamReader(stdout.ResponseStream);
        Assert.Equal(30_001, (await reader.ReadToEndAsync()).Length);

        var listed = await agent.Ssm.ListCommandInvocationsAsync(new ListCommandInvocationsRequest { CommandId = commandId, Details = true });
        Assert.Equal(5, Assert.Single(Assert.Single(listed.CommandInvocations).CommandPlugins).ResponseCode);
    }

    [Fact]
    public async Task Execution_timeout_ends_the_script_as_timed_out()
    {
        var instanceId = await LaunchAsync();
        var commandId = await SendAsync(instanceId, "echo started; sleep 600", timeoutSeconds: 1);
        var invocation = await WaitAsync(commandId, instanceId);
        Assert.Equal("TimedOut", invocation.Status.Value);
    }

    [Fact]
    public async Task Exit_194_restarts_the_instances_processes_and_runs_the_script_again()
    {
        var instanceId = await LaunchAsync();
        var invocation = await RunAsync(instanceId,
            "if [ -e /root/asked ]; then echo second run; cat /root/daemon; exit 0; fi",
            "sh -c 'sleep 600' >/dev/null 2>&1 & echo $! > /root/daemon",
            "touch /root/asked; exit 194");
        Assert.Equal("Success", invocation.Status.Value);
        Assert.StartsWith("second run", invocation.StandardOutputContent, StringComparison.Ordinal);
        // The process started before the reboot is gone: nothing of the first run survives in the new PID namespace.
        const string FindSleeper = "found=none; for p in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\" in 'sleep 600 '*) found=alive;; esac; done; echo $found";
        var check = await RunAsync(instanceId, FindSleeper);
        Assert.Equal("none\n", check.StandardOutputContent);
        // The control: a sleeper started now is found. Its shell needs a moment to exec sleep, so look until it is
        // there (up to 600 looks, a bound generous enough for any load) rather than after a fixed pause.
        var control = await RunAsync(instanceId, "sh -c 'sleep 600' >/dev/null 2>&1 &",
            $"i=0; until [ \"$({FindSleeper})\" = alive ] || [ $i -ge 600 ]; do sleep 0.05; i=$((i+1)); done",
            FindSleeper);
        Assert.Equal("alive\n", control.StandardOutputContent);
    }

    [Fact]
    public async Task A_powershell_command_without_pwsh_in_the_instance_or_on_the_host_fails_and_says_so()
    {
        agent.Instances.PowerShell = null;
        var instanceId = await LaunchAsync();
        var response = await agent.Ssm.SendCommandAsync(new SendCommandRequest
        {
            InstanceIds = [instanceId],
            DocumentName = "AWS-RunPowerShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["Write-Output hi"] },
        });
        var invocation = await WaitAsync(response.Command.CommandId, instanceId);
        Assert.Equal("Failed", invocation.Status.Value);
        Assert.Contains("PowerShell is not run locally", invocation.StandardErrorContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_powershell_command_runs_with_the_hosts_pwsh_in_the_instance_with_its_output_and_exit_code()
    {
        await RealShells.PwshAsync();
        agent.Instances.PowerShell = HostPowerShell.Find();
        Assert.NotNull(agent.Instances.PowerShell);
        var instanceId = await LaunchAsync();

        var commandId = await agent.SendAsync(instanceId, "AWS-RunPowerShellScript",
        [
            "Write-Output \"pwsh $($PSVersionTable.PSVersion) as $(id -u) on $((Get-Content /etc/os-release | Select-String '^ID=').Line)\"",
            "[IO.File]::WriteAllText('C:/Windows/Temp/probe.txt', 'on the C: drive')",
            "Get-Content C:/Windows/Temp/probe.txt",
            "Write-Error 'to stderr'",
            "exit 3",
        ]);
        var invocation = await agent.WaitAsync(commandId, instanceId);

        Assert.Equal("Failed", invocation.Status.Value);
        Assert.Equal(3, invocation.ResponseCode);
        Assert.Equal("pwsh 7.6.10 as 0 on ID=debian\non the C: drive\n", invocation.StandardOutputContent);
        Assert.Contains("to stderr", invocation.StandardErrorContent, StringComparison.Ordinal);
        // The host's pwsh is bound read-only on the instance's /run: nothing of it (or of the C: drive) is in the layer
        // an image would be made from.
        var upper = agent.Instances.Find(instanceId)!.UpperLayer;
        Assert.False(Directory.Exists(Path.Combine(upper, "run")));
        var write = await RunAsync(instanceId, "touch /run/bakery/pwsh/x 2>&1 || echo read-only");
        Assert.EndsWith("read-only\n", write.StandardOutputContent, StringComparison.Ordinal);
    }

    private Task<string> LaunchAsync() => agent.LaunchAsync();

    private Task<string> SendAsync(string instanceId, string command, int timeoutSeconds = 600, string? bucket = null) =>
        agent.SendAsync(instanceId, command, timeoutSeconds, bucket);

    private Task<GetCommandInvocationResponse> RunAsync(string instanceId, params string[] commands) => agent.RunAsync(instanceId, commands);

    private Task<GetCommandInvocationResponse> WaitAsync(string commandId, string instanceId) => agent.WaitAsync(commandId, instanceId);
}
