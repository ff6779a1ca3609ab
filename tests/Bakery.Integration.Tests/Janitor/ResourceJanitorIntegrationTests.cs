using Bakery.Testing.Moto;
using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Integration.Tests.Support;
using Bakery.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Integration.Tests.Janitor;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class ResourceJanitorIntegrationTests
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
        // What a build leaves for its user: its provisioners' full output and its downloads; the lifecycle rule removes them.
        await stack.PutAsync($"staging/{expired}/logs/amazon-ebs/0/cmd-1/i-1/awsrunShellScript/0.awsrunShellScript/stdout", "output");
        await stack.PutAsync($"staging/{expired}/downloads/2/0/report.txt", "report");
        await stack.PutAsync($"staging/{live}/files/b.sh", "b");

        var janitor = new ResourceJanitor(stack.Services, new SdkManagedResources(stack.Clients), stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock);
        var report = await janitor.RunAsync(new JanitorRequest { Regions = [Region] }, CancellationToken.None);

        Assert.Contains(expired, report.CleanedBuilds);
        Assert.Contains(live, report.LiveBuilds);
        Assert.Contains($"{Region}:{expiredInstance}", report.TerminatedInstances);
        Assert.DoesNotContain($"{Region}:{liveInstance}", report.TerminatedInstances);
        Assert.Contains($"{Region}:{expiredGroup}", report.DeletedSecurityGroups);
        Assert.Equal(
            [$"staging/{expired}/downloads/2/0/report.txt", $"staging/{expired}/logs/amazon-ebs/0/cmd-1/i-1/awsrunShellScript/0.awsrunShellScript/stdout"],
            (await stack.KeysAsync($"staging/{expired}/")).Order(StringComparer.Ordinal));
        Assert.Single(await stack.KeysAsync($"staging/{live}/"));

        Assert.Equal("terminated", await StateAsync(ec2, expiredInstance));
        Assert.Equal("running", await StateAsync(ec2, liveInstance));
        var groups = await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("group-id", [expiredGroup, liveGroup])] });
        Assert.Equal([liveGroup], (groups.SecurityGroups ?? []).Select(g => g.GroupId));
    }

    [Fact]
    public async Task Removes_the_images_copies_and_snapshots_of_an_abandoned_build_and_keeps_results_and_live_builds()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (abandoned, live, succeeded, partial, unknown) = ($"abandoned-{suffix}", $"live-{suffix}", $"succeeded-{suffix}", $"partial-{suffix}", $"unknown-{suffix}");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        foreach (var (id, deadline) in new[] { (abandoned, now - 60), (live, now + 3600), (succeeded, now - 60), (partial, now - 60) })
        {
            await stack.Ledger.TryClaimAsync(Claim(id, deadline), CancellationToken.None);
            await stack.Ledger.RecordStepAsync(id, "CreateImage", "Started", CancellationToken.None);
        }

        var ec2 = stack.Clients.Ec2(Region);
        // Through AWS_ENDPOINT_URL moto serves every region from one backend, so the "copy in another region" is made
        // and swept in the same one here; the janitor looks in each region it is given.
        var other = stack.Clients.Ec2(Region);
        // The runner died after CreateImage (and a copy had started): the image is tagged, its snapshot not yet
        // (TagImage never ran).
        var halfMade = await CreateImageAsync(ec2, abandoned);
        var copy = (await other.CopyImageAsync(new CopyImageRequest { SourceRegion = Region, SourceImageId = halfMade.ImageId, Name = $"copy-{suffix}" })).ImageId;
        await other.CreateTagsAsync(new CreateTagsRequest { Resources = [copy], Tags = [.. Tags(abandoned).Select(t => new Tag(t.Key, t.Value))] });
        var copySnapshots = await SnapshotsOfAsync(other, copy);
        var liveImage = await CreateImageAsync(ec2, live);
        var result = await CreateImageAsync(ec2, succeeded);
        await stack.Ledger.CompleteAsync(succeeded, [new BuiltImage("amazon-ebs", Region, result.ImageId)], CancellationToken.None);
        var partialResult = await CreateImageAsync(ec2, partial);
        var partialLeftover = await CreateImageAsync(ec2, partial);
        await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. partialLeftover.Snapshots], Tags = [.. Tags(partial).Select(t => new Tag(t.Key, t.Value))] });
        await stack.Ledger.FailAsync(partial, "ProvisionerFailed", "second builder failed", [new BuiltImage("first", Region, partialResult.ImageId)], CancellationToken.None);
        var unknownImage = await CreateImageAsync(ec2, unknown);

        var janitor = new ResourceJanitor(stack.Services, new SdkManagedResources(stack.Clients), stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock);
        var report = await janitor.RunAsync(new JanitorRequest { Regions = [Region] }, CancellationToken.None);

        Assert.Empty(report.Errors);
        Assert.Equal(
            new[] { $"{Region}:{halfMade.ImageId}", $"{Region}:{copy}", $"{Region}:{partialLeftover.ImageId}" }.Order(),
            report.DeregisteredImages.Order());
        Assert.Equal([abandoned], report.AbandonedBuilds);
        Assert.Contains(live, report.LiveBuilds);

        Assert.Empty(await ImagesAsync(ec2, halfMade.ImageId, partialLeftover.ImageId));
        Assert.Empty(await ImagesAsync(other, copy));
        Assert.Empty(await ExistingSnapshotsAsync(ec2, [.. halfMade.Snapshots, .. partialLeftover.Snapshots]));
        Assert.Empty(await ExistingSnapshotsAsync(other, copySnapshots));
        Assert.Equal(
            new[] { liveImage.ImageId, result.ImageId, partialResult.ImageId, unknownImage.ImageId }.Order(),
            (await ImagesAsync(ec2, liveImage.ImageId, result.ImageId, partialResult.ImageId, unknownImage.ImageId)).Order());
        var kept = new[] { liveImage, result, partialResult, unknownImage }.SelectMany(i => i.Snapshots).ToList();
        Assert.Equal(kept.Order(), (await ExistingSnapshotsAsync(ec2, kept)).Order());

        var record = await stack.Ledger.GetAsync(abandoned, CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, ResourceJanitor.AbandonedErrorName), (record!.Status, record.ErrorName));
        Assert.Contains("CreateImage", record.ErrorCause, StringComparison.Ordinal);
        Assert.Equal(BuildStatus.Running, (await stack.Ledger.GetAsync(live, CancellationToken.None))!.Status);
        Assert.Equal(BuildStatus.Succeeded, (await stack.Ledger.GetAsync(succeeded, CancellationToken.None))!.Status);
        Assert.Equal("ProvisionerFailed", (await stack.Ledger.GetAsync(partial, CancellationToken.None))!.ErrorName);
    }

    [Fact]
    public async Task Closes_an_overdue_build_that_left_nothing_and_leaves_a_finished_one_as_it_is()
    {
        await using var stack = await BakeryStack.CreateAsync(clock);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (overdue, finished) = ($"overdue-{suffix}", $"finished-{suffix}");
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        await stack.Ledger.TryClaimAsync(Claim(overdue, now - 1), CancellationToken.None);
        await stack.Ledger.RecordStepAsync(overdue, "Publish", "Started", CancellationToken.None);
        await stack.Ledger.TryClaimAsync(Claim(finished, now - 1), CancellationToken.None);
        await stack.Ledger.FailAsync(finished, "LaunchFailed", "no capacity", CancellationToken.None);

        var janitor = new ResourceJanitor(stack.Services, new SdkManagedResources(stack.Clients), stack.Ledger, stack.Configuration, AwsRetry.Immediate(), clock);
        var report = await janitor.RunAsync(new JanitorRequest { Regions = [Region] }, CancellationToken.None);

        Assert.Contains(overdue, report.AbandonedBuilds);
        Assert.DoesNotContain(finished, report.AbandonedBuilds);
        Assert.Equal(ResourceJanitor.AbandonedErrorName, (await stack.Ledger.GetAsync(overdue, CancellationToken.None))!.ErrorName);
        Assert.Equal("LaunchFailed", (await stack.Ledger.GetAsync(finished, CancellationToken.None))!.ErrorName);
    }

    private sealed record MadeImage(string ImageId, IReadOnlyList<string> Snapshots);

    private static async Task<MadeImage> CreateImageAsync(IAmazonEC2 ec2, string buildId)
    {
        var instanceId = await RunInstanceAsync(ec2, buildId);
        var imageId = (await ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = $"{buildId}-{Guid.NewGuid():N}",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = [.. Tags(buildId).Select(t => new Tag(t.Key, t.Value))] }],
        })).ImageId;
        // The instance is not what these tests are about.
        await ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] });
        return new MadeImage(imageId, await SnapshotsOfAsync(ec2, imageId));
    }

    private static async Task<IReadOnlyList<string>> SnapshotsOfAsync(IAmazonEC2 ec2, string imageId)
    {
        var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images);
        var snapshots = (image.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().ToList();
        Assert.NotEmpty(snapshots);
        return snapshots;
    }

    private static async Task<IReadOnlyList<string>> ImagesAsync(IAmazonEC2 ec2, params string[] imageIds)
    {
        var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("image-id", [.. imageIds])] });
        return [.. (response.Images ?? []).Select(i => i.ImageId)];
    }

    private static async Task<IReadOnlyList<string>> ExistingSnapshotsAsync(IAmazonEC2 ec2, IReadOnlyList<string> snapshotIds)
    {
        var response = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("snapshot-id", [.. snapshotIds])] });
        return [.. (response.Snapshots ?? []).Select(s => s.SnapshotId)];
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
            // Launch tags a builder instance with its role; the janitor goes by it.
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Instance, Tags = [.. Tags(buildId).Select(t => new Tag(t.Key, t.Value)), new Tag("bakery:role", "builder")] }],
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
