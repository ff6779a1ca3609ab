using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Local.StandIn;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.Steps;

/// <summary>
/// A step that fails after creating something loses its state with the exception; against the AWS stand-in, nothing
/// of the build may be left anyway.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public sealed class FailureCleanupTests(MotoFixture moto) : IDisposable
{
    private const string Region = "us-east-1";
    private readonly AwsClients clients = new();
    private readonly string buildId = $"it-{Guid.NewGuid():N}";

    public void Dispose() => clients.Dispose();

    private BakeState State(string builderName = "amazon-ebs", string? instanceProfile = null) => new()
    {
        BuildId = buildId,
        Build = new BuildPlan
        {
            Builder = new AmazonEbsBuilder
            {
                Name = builderName,
                Region = Region,
                SourceAmi = "ami-cd0f5cb6",
                InstanceType = "m3.large",
                AmiName = $"it.{buildId}.{builderName}",
                IamInstanceProfile = instanceProfile,
            },
            Provisioners = [],
        },
    };

    private async Task<BakeryConfiguration> ConfigurationAsync()
    {
        var profile = $"bakery-builder-{buildId}";
        await StandInIam.CreateInstanceProfileAsync(moto.Endpoint, profile);
        return new BakeryConfiguration { Bucket = "unused", LedgerTable = "ledger", InstanceProfile = profile };
    }

    private async Task<List<SecurityGroup>> GroupsOfBuildAsync() =>
        (await clients.Ec2(Region).DescribeSecurityGroupsAsync(
            new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:bakery:build-id", [buildId])] })).SecurityGroups ?? [];

    private async Task<List<Instance>> LiveInstancesOfBuildAsync() =>
        [.. ((await clients.Ec2(Region).DescribeInstancesAsync(
            new DescribeInstancesRequest { Filters = [new Filter("tag:bakery:build-id", [buildId])] })).Reservations ?? [])
            .SelectMany(r => r.Instances ?? [])
            .Where(i => i.State.Name.Value != "terminated")];

    private static async Task<BakeState> RunUntilDoneAsync(IBakeStep step, BakeState state)
    {
        for (var call = 0; ; call++)
        {
            state = await step.RunAsync(state, CancellationToken.None);
            if (state.Wait is { Done: true })
            {
                return state;
            }

            Assert.True(call < 20, $"{step.Name} kept waiting");
        }
    }

    [Fact]
    public async Task A_refused_launch_leaves_no_security_group()
    {
        var aws = new SdkAwsServices(clients);
        var configuration = await ConfigurationAsync();
        var launch = new LaunchStep(aws, configuration, AwsRetry.Immediate(), TimeProvider.System);

        await Assert.ThrowsAsync<LaunchFailed>(() => launch.RunAsync(State(instanceProfile: "no-such-profile"), CancellationToken.None));

        Assert.Empty(await GroupsOfBuildAsync());
    }

    [Fact]
    public async Task Teardown_of_the_state_from_before_launch_still_removes_the_launched_instance_and_group_but_not_a_siblings()
    {
        var aws = new SdkAwsServices(clients);
        var configuration = await ConfigurationAsync();
        var launch = new LaunchStep(aws, configuration, AwsRetry.Immediate(), TimeProvider.System);
        var sibling = await launch.RunAsync(State("sibling"), CancellationToken.None);
        var beforeLaunch = State();
        await launch.RunAsync(beforeLaunch, CancellationToken.None);
        Assert.Equal(2, (await LiveInstancesOfBuildAsync()).Count);

        // What the workflow's Catch hands Teardown when a later step of this build failed: Created lists nothing.
        var failed = beforeLaunch with { Error = new ErrorInfo { Error = "InstanceNotReady", Cause = "lost" } };
        var done = await RunUntilDoneAsync(new TeardownStep(aws, AwsRetry.Immediate()), failed);

        Assert.Single(done.Removed!.InstanceIds);
        Assert.Single(done.Removed.SecurityGroupIds);
        var left = Assert.Single(await LiveInstancesOfBuildAsync());
        Assert.Equal(sibling.Instance!.InstanceId, left.InstanceId);
        Assert.Equal(sibling.Created.SecurityGroupIds, (await GroupsOfBuildAsync()).Select(g => g.GroupId));
    }
}
