using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>
/// What the stand-in's EC2 (moto behind the stand-in's proxy) does for the calls the bake steps make, and where the
/// proxy makes it answer as AWS does (see docs/local-stand-in.md).
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
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
        // An image of an EBS-backed instance is EBS-backed, as AWS says (moto alone says "standard"; MotoGaps bridges it):
        // Prepare refuses any other source image, so a chained bake depends on it.
        Assert.Equal(DeviceType.Ebs, image.RootDeviceType);
        using var motoItself = MotoItself();
        var unbridged = Assert.Single((await motoItself.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
        Assert.Equal("standard", unbridged.RootDeviceType?.Value);
    }

    [Fact]
    public async Task CreateImage_with_snapshot_TagSpecifications_tags_the_snapshots_though_moto_alone_answers_500()
    {
        var instanceId = await LaunchAsync();
        var request = new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = "bakery-stand-in-snapshot-tags",
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Image, Tags = [new Tag("Name", "image")] },
                new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = [new Tag("bakery:managed", "true")] },
            ],
        };

        // moto itself: the gap the stand-in's proxy bridges (tools/Bakery.Local/Aws/MotoGaps.cs).
        using var motoItself = MotoItself();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => motoItself.CreateImageAsync(request));
        Assert.Contains("500", error.ToString(), StringComparison.Ordinal);

        // Through the stand-in, as on AWS: the image and its snapshots carry their tags when CreateImage returns.
        request.Name = "bakery-stand-in-snapshot-tags-bridged";
        var imageId = (await _ec2.CreateImageAsync(request)).ImageId;
        var image = Assert.Single((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
        Assert.Contains(image.Tags ?? [], tag => tag.Key == "Name" && tag.Value == "image");
        var snapshotId = Assert.Single(image.BlockDeviceMappings ?? []).Ebs.SnapshotId;
        var snapshot = Assert.Single((await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] })).Snapshots ?? []);
        Assert.Contains(snapshot.Tags ?? [], tag => tag.Key == "bakery:managed" && tag.Value == "true");
        Assert.DoesNotContain(snapshot.Tags ?? [], tag => tag.Key == "Name");
    }

    [Fact]
    public async Task CopyImage_TagSpecifications_land_on_the_copy_and_its_snapshots_though_moto_alone_drops_them()
    {
        var instanceId = await LaunchAsync();
        var sourceId = (await _ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = "bakery-stand-in-copy-source" })).ImageId;
        CopyImageRequest Copy(string name) => new()
        {
            SourceImageId = sourceId,
            SourceRegion = "us-east-1",
            Name = name,
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Image, Tags = [new Tag("bakery:managed", "true")] },
                new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = [new Tag("bakery:managed", "true")] },
            ],
        };

        using var motoItself = MotoItself();
        var unbridged = (await motoItself.CopyImageAsync(Copy("bakery-stand-in-copy-moto"))).ImageId;
        Assert.DoesNotContain((await ImageAsync(unbridged)).Tags ?? [], tag => tag.Key == "bakery:managed");

        var copy = await ImageAsync((await _ec2.CopyImageAsync(Copy("bakery-stand-in-copy"))).ImageId);
        Assert.Contains(copy.Tags ?? [], tag => tag.Key == "bakery:managed" && tag.Value == "true");
        var snapshotIds = (copy.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().ToList();
        Assert.NotEmpty(snapshotIds);
        var snapshots = (await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = snapshotIds })).Snapshots ?? [];
        Assert.All(snapshots, snapshot => Assert.Contains(snapshot.Tags ?? [], tag => tag.Key == "bakery:managed" && tag.Value == "true"));
    }

    [Fact]
    public async Task DescribeSnapshots_with_OwnerIds_self_answers_the_accounts_snapshots_found_by_tag_not_the_catalogues()
    {
        // moto ignores OwnerIds; infra/local/moto-seeded-server.py applies it as EC2 does (the catalogue's images each
        // have a snapshot, owned by the image's owner).
        var instanceId = await LaunchAsync();
        var imageId = (await _ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = "bakery-stand-in-owners" })).ImageId;
        var snapshotId = Assert.Single(Assert.Single((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []).BlockDeviceMappings ?? []).Ebs.SnapshotId;
        await _ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [snapshotId], Tags = [new Tag("bakery:build-id", "owners")] });

        var own = (await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] })).Snapshots ?? [];
        var tagged = (await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest
        {
            OwnerIds = ["self"],
            Filters = [new Filter("tag:bakery:build-id", ["owners"])],
        })).Snapshots ?? [];
        var all = (await _ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest())).Snapshots ?? [];

        Assert.Equal([snapshotId], own.Select(s => s.SnapshotId));
        Assert.Equal([snapshotId], tagged.Select(s => s.SnapshotId));
        Assert.Contains(tagged[0].Tags ?? [], tag => tag.Key == "bakery:build-id" && tag.Value == "owners");
        Assert.Contains(all, s => s.SnapshotId == snapshotId);
        Assert.Contains(all, s => s.OwnerId != own[0].OwnerId);
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
    public async Task A_reused_ClientToken_gives_the_first_instance_again_though_moto_alone_starts_a_second()
    {
        // Launch relies on ClientToken for idempotency, as AWS honors it; moto ignores it, the stand-in's proxy does not.
        using (var motoItself = MotoItself())
        {
            var first = await LaunchAsync("bakery-stand-in-token-moto", motoItself);
            Assert.NotEqual(first, await LaunchAsync("bakery-stand-in-token-moto", motoItself));
        }

        var bridged = await LaunchAsync("bakery-stand-in-token");
        Assert.Equal(bridged, await LaunchAsync("bakery-stand-in-token"));
        Assert.NotEqual(bridged, await LaunchAsync("bakery-stand-in-other-token"));
    }

    [Fact]
    public async Task A_terminated_instance_stays_visible_as_terminated()
    {
        var instanceId = await LaunchAsync();

        await _ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] });

        Assert.Equal(InstanceStateName.Terminated, (await DescribeAsync(instanceId)).State.Name);
    }

    /// <summary>A client of moto itself, without the stand-in's proxy.</summary>
    private AmazonEC2Client MotoItself() =>
        new(new AmazonEC2Config { ServiceURL = moto.MotoEndpoint.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private async Task<Image> ImageAsync(string imageId) =>
        Assert.Single((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);

    [Fact]
    public async Task Image_deprecation_protection_and_disabling_work_as_on_AWS_though_moto_alone_lacks_them()
    {
        var instanceId = await LaunchAsync();
        var imageId = (await _ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = "bakery-stand-in-lifecycle" })).ImageId;
        var at = new DateTime(2031, 1, 2, 3, 4, 30, DateTimeKind.Utc);

        // moto itself: the gap the stand-in's proxy bridges (tools/Bakery.Local/Aws/ImageLifecycleGaps.cs).
        using var motoItself = MotoItself();
        await Assert.ThrowsAnyAsync<Exception>(() => motoItself.EnableImageDeprecationAsync(new EnableImageDeprecationRequest { ImageId = imageId, DeprecateAt = at }));

        Assert.Equal("disabled", (await ImageAsync(imageId)).DeregistrationProtection);
        await _ec2.EnableImageDeprecationAsync(new EnableImageDeprecationRequest { ImageId = imageId, DeprecateAt = at });
        await _ec2.EnableImageDeregistrationProtectionAsync(new EnableImageDeregistrationProtectionRequest { ImageId = imageId });
        var image = await ImageAsync(imageId);
        Assert.Equal("2031-01-02T03:05:00.000Z", image.DeprecationTime); // rounded up to the minute, as EC2 does
        Assert.Equal("enabled", image.DeregistrationProtection);

        await _ec2.DisableImageDeregistrationProtectionAsync(new DisableImageDeregistrationProtectionRequest { ImageId = imageId });
        Assert.Equal("disabled", (await ImageAsync(imageId)).DeregistrationProtection);

        await _ec2.DisableImageAsync(new DisableImageRequest { ImageId = imageId });
        Assert.Empty((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
        var disabled = Assert.Single((await _ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId], IncludeDisabled = true })).Images ?? []);
        Assert.Equal("disabled", disabled.State.Value);

        var missing = await Assert.ThrowsAsync<AmazonEC2Exception>(() => _ec2.DisableImageAsync(new DisableImageRequest { ImageId = "ami-00000000deadbeef0" }));
        Assert.Equal("InvalidAMIID.NotFound", missing.ErrorCode);
    }

    [Fact]
    public async Task A_reset_forgets_every_regions_resources_and_tags_and_gives_back_the_whole_catalogue()
    {
        // infra/local/moto-seeded-server.py drops the backends at a reset without building them again first (moto builds
        // them anew at their next request): each region must come back as a fresh one.
        var catalogueImage = "ami-cd0f5cb6"; // in every region's catalogue (infra/local/moto-seed-images.json)
        var before = new Dictionary<string, int>();
        foreach (var region in new[] { "us-east-1", "eu-west-1" })
        {
            using var ec2 = StandInClients.Ec2(region);
            var instanceId = await LaunchAsync(client: ec2);
            await ec2.CreateImageAsync(new CreateImageRequest { InstanceId = instanceId, Name = "bakery-stand-in-reset" });
            await ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [catalogueImage], Tags = [new Tag("bakery:build-id", "reset")] });
            before[region] = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"] })).Images?.Count ?? 0;
        }

        await moto.ResetAsync();

        foreach (var region in new[] { "us-east-1", "eu-west-1" })
        {
            using var ec2 = StandInClients.Ec2(region);
            Assert.Empty((await ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations ?? []);
            Assert.Empty((await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images ?? []);
            var image = Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [catalogueImage] })).Images ?? []);
            Assert.Empty(image.Tags ?? []);
            Assert.Equal(before[region], (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["amazon"] })).Images?.Count ?? 0);
        }
    }

    [Fact]
    public async Task DescribeRegions_lists_the_regions_of_every_partition_with_their_opt_in_status()
    {
        // The server reads the region lists (moto takes them from botocore's endpoint table) through one boto3 session
        // instead of one per partition; the three partitions' regions must all be there.
        var regions = (await _ec2.DescribeRegionsAsync(new DescribeRegionsRequest { AllRegions = true })).Regions ?? [];

        var status = regions.ToDictionary(region => region.RegionName, region => region.OptInStatus);
        Assert.Equal("opt-in-not-required", status["us-east-1"]);
        Assert.Equal("not-opted-in", status["ap-east-1"]);
        Assert.Equal("opt-in-not-required", status["us-gov-west-1"]);
        Assert.Equal("opt-in-not-required", status["cn-north-1"]);
    }

    private async Task<string> LaunchAsync(string? clientToken = null, AmazonEC2Client? client = null)
    {
        var response = await (client ?? _ec2).RunInstancesAsync(new RunInstancesRequest
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
