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
/// The stand-in's local instances behind its proxy in front of moto, with AWS SDK clients that call them as the
/// functions do: launch an instance with RunInstances, send it commands with SendCommand, wait for the invocation.
/// </summary>
public sealed class LocalAgentHarness : IAsyncDisposable
{
    private readonly string folder;

    private LocalAgentHarness(string folder, LocalInstances instances, Ec2ThrottlingProxy proxy, AmazonEC2Client ec2, AmazonSimpleSystemsManagementClient ssm)
    {
        this.folder = folder;
        Instances = instances;
        Proxy = proxy;
        Ec2 = ec2;
        Ssm = ssm;
    }

    public LocalInstances Instances { get; }

    public Ec2ThrottlingProxy Proxy { get; }

    public AmazonEC2Client Ec2 { get; }

    public AmazonSimpleSystemsManagementClient Ssm { get; }

    public static async Task<LocalAgentHarness> StartAsync(MotoFixture moto)
    {
        ArgumentNullException.ThrowIfNull(moto);
        await moto.ResetAsync();
        var why = await InstanceSupport.WhyNotAsync(BaseImage.Default(), CancellationToken.None);
        Assert.True(why is null, $"local instances cannot run here: {why}");
        var folder = Directory.CreateTempSubdirectory("bakery-agent-").FullName;
        var paths = new LocalInstancePaths(folder);
        var instances = new LocalInstances(paths, new LocalImageStore(paths, BaseImage.Default()))
        {
            PutObject = async (bucket, key, text, token) =>
            {
                using var s3 = StandInClients.S3();
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = text }, token);
            },
        };
        var proxy = await Ec2ThrottlingProxy.StartAsync(moto.Endpoint, Ec2ThrottlePlan.None, interceptor: new LocalInstancesInterceptor(instances, "us-east-1"));
        var credentials = new BasicAWSCredentials("testing", "testing");
        var ec2 = new AmazonEC2Client(credentials, new AmazonEC2Config { ServiceURL = proxy.Endpoint.ToString(), AuthenticationRegion = "us-east-1" });
        var ssm = new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig
        {
            ServiceURL = proxy.Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
        });
        return new LocalAgentHarness(folder, instances, proxy, ec2, ssm);
    }

    public async ValueTask DisposeAsync()
    {
        await Instances.DisposeAsync();
        await Proxy.DisposeAsync();
        Ec2.Dispose();
        Ssm.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Launches an instance (by default of an AMI the stand-in runs on the base image) through moto and waits until the stand-in has it running.</summary>
    public async Task<string> LaunchAsync(string imageId = "ami-cd0f5cb6")
    {
        var response = await Ec2.RunInstancesAsync(new RunInstancesRequest { ImageId = imageId, MinCount = 1, MaxCount = 1, InstanceType = InstanceType.T3Micro });
        var instanceId = Assert.Single(response.Reservation.Instances).InstanceId;
        await Instances.WaitStartedAsync(instanceId).WaitAsync(TimeSpan.FromMinutes(2)); // bounds a hang only
        Assert.Equal(LocalInstanceState.Running, Instances.Find(instanceId)?.State);
        return instanceId;
    }

    public async Task<string> SendAsync(string instanceId, string command, int timeoutSeconds = 600, string? bucket = null) =>
        await SendAsync(instanceId, "AWS-RunShellScript", [.. command.Split('\n')], timeoutSeconds, bucket);

    public async Task<string> SendAsync(string instanceId, string document, IReadOnlyList<string> commands, int timeoutSeconds = 600, string? bucket = null)
    {
        var request = new SendCommandRequest
        {
            InstanceIds = [instanceId],
            DocumentName = document,
            Parameters = new Dictionary<string, List<string>>
            {
                ["commands"] = [.. commands],
                ["executionTimeout"] = [timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            },
        };
        if (bucket is not null)
        {
            request.OutputS3BucketName = bucket;
            request.OutputS3KeyPrefix = "out";
        }

        return (await Ssm.SendCommandAsync(request)).Command.CommandId;
    }

    public async Task<GetCommandInvocationResponse> RunAsync(string instanceId, params string[] commands) =>
        await WaitAsync(await SendAsync(instanceId, string.Join('\n', commands)), instanceId);

    public async Task<GetCommandInvocationResponse> WaitAsync(string commandId, string instanceId)
    {
        // Bounds a hang only; nothing is judged by how long it took.
        for (var i = 0; i < 3000; i++)
        {
            var invocation = await Ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = commandId, InstanceId = instanceId });
            if (invocation.Status.Value is not ("Pending" or "InProgress" or "Delayed"))
            {
                return invocation;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"command {commandId} did not end");
    }
}
