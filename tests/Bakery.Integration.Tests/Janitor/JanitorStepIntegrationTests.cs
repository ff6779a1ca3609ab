using Bakery.Testing.Moto;
using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.Integration.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Janitor;

[Trait("Category", "Integration")]
[Collection(MotoCollection.Name)]
public class JanitorStepIntegrationTests
{
    private const string Region = "us-east-1";
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Removes_an_expired_builds_leftovers_and_leaves_a_live_one_alone()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (expired, live) = ($"expired-{suffix}", $"live-{suffix}");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await stack.Ledger.TryClaimAsync(Claim(expired, now - 60), CancellationToken.None);
        await stack.Ledger.TryClaimAsync(Claim(live, now + 3600), CancellationToken.None);

        var ec2 = stack.Clients.Ec2(Region);
        var expiredInstance = await RunInstanceAsync(ec2, expired);
        var liveInstance = await RunInstanceAsync(ec2, live);
        var expiredGroup = await CreateGroupAsync(ec2, expired);
        var liveGroup = await CreateGroupAsync(ec2, live);
        await stack.PutAsync($"staging/{expired}/files/a.sh", "a");
        await stack.PutAsync($"staging/{live}/files/b.sh", "b");

        var janitor = new JanitorStep(stack.Services, new SdkManagedResources(stack.Clients), stack.Ledger, stack.Configuration, clock, AwsRetry.Immediate());
        var report = await janitor.RunAsync(new JanitorRequest { Regions = [Region] }, CancellationToken.None);

        Assert.Contains(expired, report.CleanedBuilds);
        Assert.Contains(live, report.LiveBuilds);
        Assert.Contains($"{Region}:{expiredInstance}", report.TerminatedInstances);
        Assert.DoesNotContain($"{Region}:{liveInstance}", report.TerminatedInstances);
        Assert.Contains($"{Region}:{expiredGroup}", report.DeletedSecurityGroups);
        Assert.Empty(await stack.KeysAsync($"staging/{expired}/"));
        Assert.Single(await stack.KeysAsync($"staging/{live}/"));

        Assert.Equal("terminated", await StateAsync(ec2, expiredInstance));
        Assert.Equal("running", await StateAsync(ec2, liveInstance));
        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", [expiredGroup, liveGroup])] });
        Assert.Equal([liveGroup], (groups.SecurityGroups ?? []).Select(g => g.GroupId));
    }

    private static BuildClaim Claim(string id, long deadline) =>
        new() { BuildId = id, Identity = id, Source = "inline", Trigger = "Console", DeadlineEpochSeconds = deadline };

    private static Dictionary<string, string> Tags(string buildId) => new() { ["bakery:managed"] = "true", ["bakery:build-id"] = buildId };

    private static async Task<string> RunInstanceAsync(IAmazonEC2 ec2, string buildId)
    {
        var response = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = "ami-12345678",
            InstanceType = InstanceType.T3Micro,
            MinCount = 1,
            MaxCount = 1,
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [.. Tags(buildId).Select(t => new Tag(t.Key, t.Value))] }],
        });
        return response.Reservation.Instances[0].InstanceId;
    }

    private static async Task<string> CreateGroupAsync(IAmazonEC2 ec2, string buildId)
    {
        var response = await ec2.CreateSecurityGroupAsync(new CreateSecurityGroupRequest
        {
            GroupName = $"bakery_{buildId}",
            Description = "temporary",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.SecurityGroup, Tags = [.. Tags(buildId).Select(t => new Tag(t.Key, t.Value))] }],
        });
        return response.GroupId;
    }

    private static async Task<string> StateAsync(IAmazonEC2 ec2, string instanceId)
    {
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] });
        return response.Reservations[0].Instances[0].State.Name.Value;
    }
}
