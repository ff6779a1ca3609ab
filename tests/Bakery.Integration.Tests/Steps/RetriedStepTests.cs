using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Configuration;
using Bakery.Core.Steps;
using Bakery.Local.StandIn;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.Steps;

/// <summary>
/// The workflow retries a Lambda with the same input when its answer is lost; against the AWS stand-in (which ignores
/// ClientToken) the retried step must find what the first call made instead of making a second one or failing.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public sealed class RetriedStepTests(MotoFixture moto) : IDisposable
{
    private const string Region = "us-east-1";
    private readonly AwsClients clients = new();
    private readonly string buildId = $"it-{Guid.NewGuid():N}";

    public void Dispose() => clients.Dispose();

    private BakeState State() => new()
    {
        BuildId = buildId,
        Build = new BuildPlan
        {
            Builder = new AmazonEbsBuilder
            {
                Name = "amazon-ebs",
                Region = Region,
                SourceAmi = "ami-cd0f5cb6",
                InstanceType = "m3.large",
                AmiName = $"it.retried.{buildId}",
            },
            Provisioners = [],
        },
    };

    private async Task<LaunchStep> LaunchStepAsync(SdkAwsServices aws)
    {
        var profile = $"bakery-builder-{buildId}";
        await StandInIam.CreateInstanceProfileAsync(moto.Endpoint, profile);
        var configuration = new BakeryConfiguration { Bucket = "unused", LedgerTable = "ledger", InstanceProfile = profile };
        return new LaunchStep(aws, configuration, AwsRetry.Immediate(), TimeProvider.System);
    }

    private async Task<List<Instance>> LiveInstancesOfBuildAsync() =>
        [.. ((await clients.Ec2(Region).DescribeInstancesAsync(
            new DescribeInstancesRequest { Filters = [new Filter("tag:bakery:build-id", [buildId])] })).Reservations ?? [])
            .SelectMany(r => r.Instances ?? [])
            .Where(i => i.State.Name.Value != "terminated")];

    [Fact]
    public async Task A_retried_launch_starts_no_second_instance()
    {
        var aws = new SdkAwsServices(clients);
        var launch = await LaunchStepAsync(aws);

        var first = await launch.RunAsync(State(), CancellationToken.None);
        var second = await launch.RunAsync(State(), CancellationToken.None);

        Assert.Equal(first.Instance!.InstanceId, second.Instance!.InstanceId);
        Assert.Single(await LiveInstancesOfBuildAsync());
    }

    [Fact]
    public async Task A_retried_CreateImage_finds_the_image_the_first_call_made()
    {
        var aws = new SdkAwsServices(clients);
        var launched = await (await LaunchStepAsync(aws)).RunAsync(State(), CancellationToken.None);
        var stop = new StopInstanceStep(aws, AwsRetry.Immediate());
        var stopped = launched;
        for (var call = 0; call == 0 || stopped.Wait is not { Done: true }; call++)
        {
            Assert.True(call < 20, "StopInstance kept waiting");
            stopped = await stop.RunAsync(stopped, CancellationToken.None);
        }

        var createImage = new CreateImageStep(aws, AwsRetry.Immediate());
        var first = await createImage.RunAsync(stopped, CancellationToken.None);
        var retried = await createImage.RunAsync(stopped, CancellationToken.None);

        Assert.Equal(first.Image!.ImageId, retried.Image!.ImageId);
        var images = await clients.Ec2(Region).DescribeImagesAsync(
            new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("name", [$"it.retried.{buildId}"])] });
        var image = Assert.Single(images.Images ?? []);
        Assert.Contains(image.Tags ?? [], tag => tag.Key == "bakery:build-id" && tag.Value == buildId);
    }
}
