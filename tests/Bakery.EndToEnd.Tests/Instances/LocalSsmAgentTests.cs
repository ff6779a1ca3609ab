using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.S3.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Local.Aws;
using Bakery.Local.Instances;
using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests.Instances;

/// <summary>
/// The stand-in's SSM agent for local instances, through the AWS SDK as the functions call it: the proxy in front of
/// moto, a real instance launched by moto's RunInstances, and AWS's documented answers (InvalidInstanceId, the 24,000
/// and 8,000 character caps, executionTimeout, exit 194, output in S3). Needs root, as CI runs.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LocalSsmAgentTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("bakery-agent-").FullName;
    private LocalInstances _instances = null!;
    private Ec2ThrottlingProxy _proxy = null!;
    private AmazonEC2Client _ec2 = null!;
    private AmazonSimpleSystemsManagementClient _ssm = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync();
        var why = await InstanceSupport.WhyNotAsync(BaseImage.Default(), CancellationToken.None);
        Assert.True(why is null, $"local instances cannot run here: {why}");
        var paths = new LocalInstancePaths(_folder);
        _instances = new LocalInstances(paths, new LocalImageStore(paths, BaseImage.Default()))
        {
            PutObject = async (bucket, key, text, token) =>
            {
                using var s3 = StandInClients.S3();
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = text }, token);
            },
        };
        _proxy = await Ec2ThrottlingProxy.StartAsync(moto.Endpoint, Ec2ThrottlePlan.None, interceptor: new LocalInstancesInterceptor(_instances, "us-east-1"));
        var credentials = new BasicAWSCredentials("testing", "testing");
        _ec2 = new AmazonEC2Client(credentials, new AmazonEC2Config { ServiceURL = _proxy.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        _ssm = new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = _proxy.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
    }

    public async Task DisposeAsync()
    {
        await _instances.DisposeAsync();
        await _proxy.DisposeAsync();
        _ec2.Dispose();
        _ssm.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

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
        var info = await _ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest
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

        await _ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [instanceId] });
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

        var listed = await _ssm.ListCommandInvocationsAsync(new ListCommandInvocationsRequest { CommandId = commandId, Details = true });
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
        var control = await RunAsync(instanceId, "sh -c 'sleep 600' >/dev/null 2>&1 &", "sleep 0.2", FindSleeper);
        Assert.Equal("alive\n", control.StandardOutputContent);
    }

    [Fact]
    public async Task A_powershell_command_without_pwsh_in_the_instance_fails_and_says_so()
    {
        var instanceId = await LaunchAsync();
        var response = await _ssm.SendCommandAsync(new SendCommandRequest
        {
            InstanceIds = [instanceId],
            DocumentName = "AWS-RunPowerShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["Write-Output hi"] },
        });
        var invocation = await WaitAsync(response.Command.CommandId, instanceId);
        Assert.Equal("Failed", invocation.Status.Value);
        Assert.Contains("PowerShell is not run locally", invocation.StandardErrorContent, StringComparison.Ordinal);
    }

    private async Task<string> LaunchAsync()
    {
        var response = await _ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = "ami-cd0f5cb6", MinCount = 1, MaxCount = 1, InstanceType = InstanceType.T3Micro });
        var instanceId = Assert.Single(response.Reservation.Instances).InstanceId;
        for (var i = 0; i < 500 && _instances.Find(instanceId)?.State is not LocalInstanceState.Running and not LocalInstanceState.Failed; i++)
        {
            await Task.Delay(20);
        }

        Assert.Equal(LocalInstanceState.Running, _instances.Find(instanceId)?.State);
        return instanceId;
    }

    private async Task<string> SendAsync(string instanceId, string command, int timeoutSeconds = 600, string? bucket = null)
    {
        var request = new SendCommandRequest
        {
            InstanceIds = [instanceId],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>>
            {
                ["commands"] = [.. command.Split('\n')],
                ["executionTimeout"] = [timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            },
        };
        if (bucket is not null)
        {
            request.OutputS3BucketName = bucket;
            request.OutputS3KeyPrefix = "out";
        }

        return (await _ssm.SendCommandAsync(request)).Command.CommandId;
    }

    private async Task<GetCommandInvocationResponse> RunAsync(string instanceId, params string[] commands) =>
        await WaitAsync(await SendAsync(instanceId, string.Join('\n', commands)), instanceId);

    private async Task<GetCommandInvocationResponse> WaitAsync(string commandId, string instanceId)
    {
        // Bounds a hang only; nothing is judged by how long it took.
        for (var i = 0; i < 3000; i++)
        {
            var invocation = await _ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId });
            if (invocation.Status.Value is not ("Pending" or "InProgress" or "Delayed"))
            {
                return invocation;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"command {commandId} did not end");
    }
}
