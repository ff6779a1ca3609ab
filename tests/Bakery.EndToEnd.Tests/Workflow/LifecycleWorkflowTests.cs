using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// lifecycle through the real definition, the real bootstrap and moto behind the stand-in's proxy: three bakes with
/// keep 2 leave the newest two in both regions and take the oldest with its snapshots; an image a running instance or
/// a launch template uses is kept and named; a dry run lists and keeps. The build is examples/golden-lifecycle.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class LifecycleWorkflowTests(LocalBakery bakery, ITestOutputHelper output)
{
    private const string CopyRegion = "us-west-2";
    private static readonly string[] Regions = [LocalBakery.Region, CopyRegion];

    [Fact]
    public async Task Three_bakes_with_keep_2_deregister_the_oldest_with_its_snapshots_in_every_region()
    {
        var prefix = await UploadAsync("lifecycle-three");
        var settings = Lifecycle("e2e-three/{{build_name}}", new JsonObject { ["keep"] = 2, ["deprecate_after_days"] = 90 });

        var (first, _) = await BakeAsync(prefix, "bakery-e2e-lifecycle-1", settings);
        var firstSnapshots = new Dictionary<string, List<string>>();
        foreach (var region in Regions)
        {
            firstSnapshots[region] = SnapshotsOf(await ImageAsync(region, first[region]));
            Assert.NotEmpty(firstSnapshots[region]);
        }

        var (second, _) = await BakeAsync(prefix, "bakery-e2e-lifecycle-2", settings);
        var (third, report) = await BakeAsync(prefix, "bakery-e2e-lifecycle-3", settings);

        foreach (var region in Regions)
        {
            using var ec2 = StandInClients.Ec2(region);
            var family = (await ec2.DescribeImagesAsync(new DescribeImagesRequest
            {
                Owners = ["self"],
                Filters = [new Filter("tag:bakery:family", ["e2e-three/web"])],
            })).Images ?? [];
            Assert.Equal(new[] { second[region], third[region] }.Order(StringComparer.Ordinal), family.Select(i => i.ImageId).Order(StringComparer.Ordinal));
            var snapshots = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] })).Snapshots ?? [];
            Assert.DoesNotContain(snapshots, snapshot => firstSnapshots[region].Contains(snapshot.SnapshotId));
            // Deprecation is bridged by the stand-in's proxy (moto lacks it): read the image as the functions do.
            Assert.NotNull((await ProxiedImageAsync(region, third[region])).DeprecationTime);
            Assert.Contains(report, line => line.Region == region && line.ImageId == first[region] && line.Kind == "Deregistered");
            Assert.Contains(report, line => line.Region == region && line.ImageId == third[region] && line.Kind == "DeprecationScheduled");
        }
    }

    [Fact]
    public async Task An_image_a_running_instance_or_a_launch_template_uses_is_kept_and_named()
    {
        var prefix = await UploadAsync("lifecycle-in-use");
        var settings = Lifecycle("e2e-in-use/{{build_name}}", new JsonObject { ["keep"] = 1 });
        var (first, _) = await BakeAsync(prefix, "bakery-e2e-in-use-1", settings);

        using var east = StandInClients.Ec2(LocalBakery.Region);
        var instanceId = (await east.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = first[LocalBakery.Region],
            InstanceType = InstanceType.T3Micro,
            MinCount = 1,
            MaxCount = 1,
        })).Reservation.Instances[0].InstanceId;
        using var west = StandInClients.Ec2(CopyRegion);
        var template = (await west.CreateLaunchTemplateAsync(new CreateLaunchTemplateRequest
        {
            LaunchTemplateName = "bakery-e2e-web",
            LaunchTemplateData = new RequestLaunchTemplateData { ImageId = first[CopyRegion], InstanceType = InstanceType.T3Micro },
        })).LaunchTemplate;

        try
        {
            var (_, report) = await BakeAsync(prefix, "bakery-e2e-in-use-2", settings);

            var instanceLine = Assert.Single(report, line => line.ImageId == first[LocalBakery.Region]);
            Assert.Equal("InUse", instanceLine.Kind);
            Assert.Equal($"in use by instance {instanceId} (running)", instanceLine.Detail);
            var templateLine = Assert.Single(report, line => line.ImageId == first[CopyRegion]);
            Assert.Equal("InUse", templateLine.Kind);
            Assert.Equal($"in use by launch template {template.LaunchTemplateId} (bakery-e2e-web) version 1", templateLine.Detail);
            Assert.Equal(first[LocalBakery.Region], (await ImageAsync(LocalBakery.Region, first[LocalBakery.Region])).ImageId);
            Assert.Equal(first[CopyRegion], (await ImageAsync(CopyRegion, first[CopyRegion])).ImageId);
        }
        finally
        {
            await east.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [instanceId] });
            await west.DeleteLaunchTemplateAsync(new DeleteLaunchTemplateRequest { LaunchTemplateId = template.LaunchTemplateId });
        }
    }

    [Fact]
    public async Task A_dry_run_lists_what_would_go_and_keeps_it()
    {
        var prefix = await UploadAsync("lifecycle-dry-run");
        var settings = Lifecycle("e2e-dry-run/{{build_name}}", new JsonObject { ["keep"] = 1, ["dry_run"] = true, ["protect_newest"] = true });
        var (first, _) = await BakeAsync(prefix, "bakery-e2e-dry-run-1", settings);

        var (second, report) = await BakeAsync(prefix, "bakery-e2e-dry-run-2", settings);

        foreach (var region in Regions)
        {
            Assert.Contains(report, line => line.Region == region && line.ImageId == first[region] && line.Kind == "WouldDeregister");
            Assert.Equal(first[region], (await ImageAsync(region, first[region])).ImageId);
            Assert.Equal("disabled", (await ImageAsync(region, second[region])).DeregistrationProtection);
        }
    }

    private sealed record Line(string Region, string ImageId, string Kind, string? Detail);

    private static JsonObject Lifecycle(string family, JsonObject lifecycle)
    {
        lifecycle["family"] = family;
        return new JsonObject { ["lifecycle"] = lifecycle };
    }

    private static List<string> SnapshotsOf(Image image) =>
        [.. (image.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>()];

    private static async Task<Image> ImageAsync(string region, string imageId)
    {
        using var ec2 = StandInClients.Ec2(region);
        return Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
    }

    private async Task<Image> ProxiedImageAsync(string region, string imageId)
    {
        using var ec2 = new AmazonEC2Client(new AmazonEC2Config { ServiceURL = bakery.AwsProxy.Endpoint.ToString(), AuthenticationRegion = region });
        return Assert.Single((await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] })).Images ?? []);
    }

    private async Task<(Dictionary<string, string> Images, List<Line> Report)> BakeAsync(string prefix, string imageName, JsonObject settings)
    {
        var input = new JsonObject
        {
            ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}golden.json",
            ["vars"] = new JsonObject { ["image_name"] = imageName },
            ["bakery"] = settings.DeepClone(),
        };
        var result = await bakery.Runner.RunAsync(input.ToJsonString());
        output.WriteLine($"{result.Status} {result.Error} {result.Cause} {result.Stats}");
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        Assert.Contains(result.Events, e => e.Type == "StateEntered" && e.StateName == "Lifecycle");
        var root = result.Output!.Value;
        Assert.False(root.TryGetProperty("lifecycleError", out var error), $"Lifecycle failed: {error}");
        var build = Assert.Single(root.GetProperty("results").EnumerateArray().ToList());
        var images = new[] { build.GetProperty("image") }.Concat(build.GetProperty("copies").EnumerateArray())
            .ToDictionary(image => image.GetProperty("region").GetString()!, image => image.GetProperty("imageId").GetString()!);
        var report = root.GetProperty("lifecycle").GetProperty("report").EnumerateArray()
            .Select(line => new Line(
                line.GetProperty("region").GetString()!,
                line.GetProperty("imageId").GetString()!,
                line.GetProperty("kind").GetString()!,
                line.TryGetProperty("detail", out var detail) ? detail.GetString() : null))
            .ToList();
        foreach (var line in report)
        {
            output.WriteLine($"  {line}");
        }

        return (images, report);
    }

    private async Task<string> UploadAsync(string folder)
    {
        var prefix = $"builds/{folder}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "golden-lifecycle"), prefix);
        return prefix;
    }
}
