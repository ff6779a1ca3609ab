using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Testing.Moto;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>What moto's EC2 does for the calls the bake steps make (see docs/local-stand-in.md).</summary>
[Collection(MotoCollection.Name)]
[Trait("Category", "Integration")]
public sealed class Ec2StandInTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AmazonEC2Client _ec2 = StandInClients.Ec2();

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync()
    {
        _ec2.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_launched_instance_is_running_at_the_first_describe_with_its_tags()
    {
        var instanceId = await LaunchAsync();

        var instance = await DescribeAsync(instanceId);

        Assert.Equal(InstanceStateName.Running, instance.State.Name);
        Assert.Contains(instance.Tags ?? [], tag => tag.Key == "bakery:managed" && tag.Value == "true");
    }

    [Fact]
    public async Task Volume_tags_from_the_launch_land_on_the_root_volume()
    {
        var instanceId = await LaunchAsync();

        var volumes = await _ec2.DescribeVolumesAsync(new DescribeVolumesRequest
        {
            Filters = [new Filter("attachment.instance-id", [instanceId])],
        });

        var volume = Assert.Single(volumes.Volumes ?? []);
        Assert.Contains(volume.Tags ?? [], tag => tag.Key == "bakery:build-id" && tag.Value == "stand-in");
    }

    [Fact]
    public async Task An_image_of_a_stopped_instance_is_available_at_once_with_a_snapshot()
    {
        var instanceId = await LaunchAsync();
        await _ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [instanceId] });
        Assert.Equal(InstanceStateName.Stopped, (await DescribeAsync(instanceId)).State.Name);

        var imageId = (await _ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = "bakery-stand-in-image",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Image, Tags = [new Tag("Name", "stand-in")] }],
        })).ImageId;

        var image = Assert.Single((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
        Assert.Equal(ImageState.Available, image.State);
        Assert.Contains(image.BlockDeviceMappings ?? [], mapping => mapping.Ebs?.SnapshotId?.StartsWith("snap-", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task CreateImage_with_snapshot_TagSpecifications_is_not_implemented_so_snapshots_are_tagged_with_CreateTags()
    {
        var instanceId = await LaunchAsync();
        using var ec2 = new AmazonEC2Client(new AmazonEC2Config { MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ec2.CreateImageAsync(new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = "bakery-stand-in-snapshot-tags",
            TagSpecifications = [new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = [new Tag("Name", "stand-in")] }],
        }));

        Assert.Contains("500", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshots_can_be_tagged_with_CreateTags()
    {
        var instanceId = await LaunchAsync();
        var imageId = (await _ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = "bakery-stand-in-tags" })).ImageId;
        var image = Assert.Single((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
        var snapshotId = Assert.Single(image.BlockDeviceMappings ?? []).Ebs.SnapshotId;

        await _ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [imageId, snapshotId], Tags = [new Tag("OS", "linux")] });

        var snapshot = Assert.Single((await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] })).Snapshots ?? []);
        Assert.Contains(snapshot.Tags ?? [], tag => tag.Key == "OS" && tag.Value == "linux");
    }

    [Fact]
    public async Task A_reused_ClientToken_starts_a_second_instance_in_moto_unlike_AWS()
    {
        // Launch relies on ClientToken for idempotency on AWS; moto ignores it, so a retried Launch cannot be
        // proven idempotent against moto (unit tests with fakes cover that).
        var first = await LaunchAsync(clientToken: "bakery-stand-in-token");
        var second = await LaunchAsync(clientToken: "bakery-stand-in-token");

        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task A_terminated_instance_stays_visible_as_terminated()
    {
        var instanceId = await LaunchAsync();

        await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] });

        Assert.Equal(InstanceStateName.Terminated, (await DescribeAsync(instanceId)).State.Name);
    }

    private async Task<string> LaunchAsync(string? clientToken = null)
    {
        var response = await _ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = "ami-12345678", // moto accepts any source AMI id
            InstanceType = InstanceType.T3Micro,
            MinCount = 1,
            MaxCount = 1,
            ClientToken = clientToken,
            MetadataOptions = new InstanceMetadataOptionsRequest { HttpTokens = HttpTokensState.Required },
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Instance, Tags = [new Tag("bakery:managed", "true")] },
                new TagSpecification { ResourceType = ResourceType.Volume, Tags = [new Tag("bakery:build-id", "stand-in")] },
            ],
        });
        return Assert.Single(response.Reservation.Instances ?? []).InstanceId;
    }

    private async Task<Instance> DescribeAsync(string instanceId)
    {
        var response = await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] });
        return Assert.Single(Assert.Single(response.Reservations ?? []).Instances ?? []);
    }
}
