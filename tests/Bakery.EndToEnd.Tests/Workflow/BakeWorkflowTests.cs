using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Amazon.S3.Model;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// Whole bakes through the real definition, the real bootstrap (every function of template.yaml in the local Lambda
/// service) and moto: the seed example from each trigger shape, a two-builder Map, a duplicate trigger and a build
/// that fails after it created resources.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class BakeWorkflowTests(LocalBakery bakery, ITestOutputHelper output)
{
    // The seed bake when every AWS call is instant: far below this, so a loop that spins shows up here.
    private const int MaxSeedTransitions = 60;

    [Fact]
    public async Task The_seed_example_started_from_the_console_bakes_one_ami_and_leaves_nothing_behind()
    {
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), "builds/console/");

        var result = await RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/console/my_test_build.json" });

        await AssertBakedAsync(result, expectedImages: 1, expectedStaged: 1);
        Assert.InRange(result.Stats.Transitions, 1, MaxSeedTransitions);
        var record = await Ledger().GetAsync(BuildIdOf(result), CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
    }

    [Fact]
    public async Task The_seed_example_started_by_the_schedule_bakes_one_ami()
    {
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), "builds/scheduled/");

        var result = await RunAsync(new JsonObject
        {
            ["template"] = $"s3://{LocalBakery.Bucket}/builds/scheduled/my_test_build.json",
            ["scheduledTime"] = "2026-11-24T06:00:00Z",
        });

        await AssertBakedAsync(result, expectedImages: 1, expectedStaged: 1);
    }

    [Fact]
    public async Task An_upload_bakes_once_even_when_its_event_is_delivered_twice_and_other_json_files_are_ignored()
    {
        var versions = await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), "builds/uploaded/");
        const string key = "builds/uploaded/my_test_build.json";

        var first = await RunAsync(LocalBakery.ObjectCreated(key, versions[key]));
        var second = await RunAsync(LocalBakery.ObjectCreated(key, versions[key]));

        await AssertBakedAsync(first, expectedImages: 1, expectedStaged: 1);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.Equal("duplicate", second.Output!.Value.GetProperty("skip").GetProperty("reason").GetString());
        Assert.DoesNotContain(second.Events, e => e.StateName == "Launch");
        Assert.Equal(first.Output!.Value.GetProperty("buildId").GetString(), second.Output!.Value.GetProperty("buildId").GetString());

        // `aws s3 cp --recursive` also uploads data files under builds/: their events must not start a bake.
        var data = await bakery.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = LocalBakery.Bucket,
            Key = "builds/uploaded/settings.json",
            FilePath = Resource("settings.json"),
        });
        var ignored = await RunAsync(LocalBakery.ObjectCreated("builds/uploaded/settings.json", data.VersionId));
        Assert.Equal(ExecutionStatus.Succeeded, ignored.Status);
        Assert.Equal("not-a-build-file", ignored.Output!.Value.GetProperty("skip").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_folder_of_hcl2_files_uploaded_together_bakes_once()
    {
        // The source in one .pkr.hcl, the build in another, the value in web.auto.pkrvars.hcl: `aws s3 cp --recursive`
        // puts both template files, and each upload's event starts an execution.
        var versions = await bakery.UploadAsync(Resource("hcl2-folder"), "builds/folder/");
        const string sources = "builds/folder/sources.pkr.hcl", build = "builds/folder/build.pkr.hcl";

        var first = await RunAsync(LocalBakery.ObjectCreated(build, versions[build]));
        var second = await RunAsync(LocalBakery.ObjectCreated(sources, versions[sources]));

        await AssertBakedAsync(first, expectedImages: 1, expectedStaged: 1);
        var image = first.Output!.Value.GetProperty("results")[0].GetProperty("image").GetProperty("imageId").GetString();
        var baked = Assert.Single((await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [image!] })).Images!);
        Assert.StartsWith("folder-web-", baked.Name, StringComparison.Ordinal);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.Equal("duplicate", second.Output!.Value.GetProperty("skip").GetProperty("reason").GetString());
        Assert.DoesNotContain(second.Events, e => e.StateName == "Launch");
        Assert.Equal(BuildIdOf(first), second.Output!.Value.GetProperty("buildId").GetString());
    }

    [Fact]
    public async Task Each_builder_of_a_file_is_baked_in_its_own_map_iteration()
    {
        await bakery.UploadAsync(Resource("two-builders"), "builds/two/");

        var result = await RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/two/two_builders.json" });

        // setup.sh is staged once for both builders (only the build's own final Teardown may remove it), and each
        // builder's inline script on its own.
        await AssertBakedAsync(result, expectedImages: 2, expectedStaged: 3);
        var iterations = result.Events.Where(e => e.Type == "MapIterationSucceeded" && e.ParentStateName == "BakeEachBuild").Select(e => e.Index);
        Assert.Equal([0, 1], iterations.Order());
    }

    [Fact]
    public async Task A_build_that_fails_after_creating_resources_fails_with_the_steps_error_records_it_and_tears_down()
    {
        // RunInstances is refused (the build file names an instance profile that does not exist) after Launch made
        // the temporary security group: the Catch must run Teardown, Publish must record the failure, the execution
        // must fail with the step's own error name, and no resource of the build may be left.
        await bakery.UploadAsync(Resource("failing-launch"), "builds/failing/");

        var result = await RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/failing/failing_launch.json" });

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("LaunchFailed", result.Error);
        Assert.Contains("no-such-profile", result.Cause, StringComparison.Ordinal);
        Assert.Contains(result.Events, e => e.Type == "StateCaught" && e.StateName == "Launch");
        Assert.Contains(result.Events, e => e.Type == "StateExited" && e.StateName == "Teardown");
        Assert.DoesNotContain(result.Events, e => e.StateName is "Provision" or "CreateImage");
        var buildId = BuildIdOf(result);
        var record = await Ledger().GetAsync(buildId, CancellationToken.None);
        Assert.Equal(BuildStatus.Failed, record!.Status);
        Assert.Equal("LaunchFailed", record.ErrorName);
        Assert.DoesNotContain(await bakery.ManagedInstancesAsync(), i => i.State.Name != "terminated" && BelongsTo(i.Tags, buildId));
        Assert.Empty(await bakery.KeysAsync($"staging/{buildId}"));
        // Launch made the temporary security group before RunInstances was refused; the exception lost the state
        // that listed it, so this holds only because Launch removes its own group and Teardown looks up the tags.
        Assert.DoesNotContain(await bakery.ManagedSecurityGroupsAsync(), g => BelongsTo(g.Tags, buildId));
    }

    [Fact]
    public async Task A_file_two_builders_share_stays_while_one_still_bakes_and_goes_when_the_build_ends_even_when_the_other_failed()
    {
        // "broken" is refused at Launch (no such instance profile) while "web" bakes on; both use setup.sh.
        await bakery.UploadAsync(Resource("two-builders-one-failing"), "builds/two-failing/");

        var result = await RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/two-failing/two_builders_one_failing.json" });

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("LaunchFailed", result.Error);
        var results = result.Events.Last(e => e.Type == "StateExited" && e.StateName == "BakeEachBuild").Output!.Value.GetProperty("results");
        Assert.Contains(results.EnumerateArray(), build => build.TryGetProperty("image", out _) && !build.TryGetProperty("error", out _));
        await AssertNothingLeftAsync(result, expectedStaged: 3); // the shared setup.sh and each builder's inline script
    }

    [Fact]
    public async Task Force_deregister_replaces_the_old_image_and_its_snapshots_in_the_build_region_and_in_each_of_ami_regions()
    {
        // Bakery's regional clients sign for their region, so moto keeps us-east-1 and us-west-2 apart: each region is
        // read here with a client signed for it, and an image or snapshot is looked up only where it was made.
        await bakery.UploadAsync(Resource("force-deregister"), "builds/forced/");
        var input = new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/forced/forced_build.json" };

        var first = Assert.Single(await BakedImagesAsync(await RunAsync(input)));
        var second = Assert.Single(await BakedImagesAsync(await RunAsync(input.DeepClone().AsObject())));

        Assert.Equal([LocalBakery.Region, "us-west-2"], first.Select(i => i.Region));
        Assert.Equal([LocalBakery.Region, "us-west-2"], second.Select(i => i.Region));
        foreach (var (old, replacement) in first.Zip(second))
        {
            using var ec2 = StandInClients.Ec2(old.Region);
            var named = await ec2.DescribeImagesAsync(new DescribeImagesRequest
            {
                Owners = ["self"],
                Filters = [new Amazon.EC2.Model.Filter("name", ["bakery-e2e-forced"])],
            });
            // Only the second bake's image of that name is left in each region: the old one was deregistered there.
            Assert.Equal([replacement.ImageId], (named.Images ?? []).Select(i => i.ImageId));
            Assert.NotEmpty(old.SnapshotIds);
            var snapshots = await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] });
            var live = (snapshots.Snapshots ?? []).Select(s => s.SnapshotId).ToHashSet(StringComparer.Ordinal);
            Assert.All(old.SnapshotIds, id => Assert.DoesNotContain(id, live));
            Assert.All(replacement.SnapshotIds, id => Assert.Contains(id, live));
        }
    }

    /// <summary>Per build of a successful run: its image, then its copies, as (region, image id, snapshot ids).</summary>
    private async Task<IReadOnlyList<IReadOnlyList<(string Region, string ImageId, IReadOnlyList<string> SnapshotIds)>>> BakedImagesAsync(StateMachineRunResult result)
    {
        await AssertBakedAsync(result, expectedImages: 1, expectedStaged: 1); // its inline script
        return [.. result.Output!.Value.GetProperty("results").EnumerateArray().Select(build =>
            (IReadOnlyList<(string, string, IReadOnlyList<string>)>)[.. new[] { build.GetProperty("image") }
                .Concat(build.GetProperty("copies").EnumerateArray())
                .Select(image => (image.GetProperty("region").GetString()!, image.GetProperty("imageId").GetString()!,
                    (IReadOnlyList<string>)[.. image.GetProperty("snapshotIds").EnumerateArray().Select(id => id.GetString()!)]))])];
    }

    private async Task<StateMachineRunResult> RunAsync(JsonObject input)
    {
        var result = await bakery.Runner.RunAsync(input.ToJsonString());
        output.WriteLine($"{result.Status} {result.Error} {result.Cause} {result.Stats}");
        foreach (var e in result.Events.Where(e => e.Type is "StateEntered" or "StateFailed" or "StateRetried"))
        {
            output.WriteLine($"  {e.Type} {e.StateName}{(e.Index is { } i ? $"[{i}]" : "")} {e.Error}");
        }

        return result;
    }

    private async Task AssertBakedAsync(StateMachineRunResult result, int expectedImages, int expectedStaged)
    {
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        var results = result.Output!.Value.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(expectedImages, results.Count);
        foreach (var build in results)
        {
            Assert.False(build.TryGetProperty("error", out _), build.ToString());
            var imageId = build.GetProperty("image").GetProperty("imageId").GetString();
            var images = await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId!] });
            Assert.Equal("available", Assert.Single(images.Images!).State.Value);
        }

        await AssertNothingLeftAsync(result, expectedStaged);
    }

    /// <summary>
    /// No live instance, no security group and no staged object of this build is left; Prepare staged
    /// <paramref name="expectedStaged"/> objects (so "none left" is not "none made").
    /// </summary>
    private async Task AssertNothingLeftAsync(StateMachineRunResult result, int expectedStaged)
    {
        var buildId = BuildIdOf(result);
        Assert.Equal(expectedStaged, StagedKeysOf(result).Count);
        Assert.DoesNotContain(await bakery.ManagedInstancesAsync(), i => i.State.Name != "terminated" && BelongsTo(i.Tags, buildId));
        Assert.DoesNotContain(await bakery.ManagedSecurityGroupsAsync(), g => BelongsTo(g.Tags, buildId));
        Assert.Empty(await bakery.KeysAsync($"staging/{buildId}"));
    }

    /// <summary>Every object Prepare staged for the build (the whole build's list, before the Map).</summary>
    private static IReadOnlyList<string> StagedKeysOf(StateMachineRunResult result)
    {
        var prepared = result.Events.First(e => e.Type == "StateExited" && e.StateName == "Prepare").Output!.Value;
        return prepared.TryGetProperty("created", out var created) && created.TryGetProperty("stagedKeys", out var keys)
            ? [.. keys.EnumerateArray().Select(key => key.GetString()!)]
            : [];
    }

    private DynamoDbBuildLedger Ledger() =>
        new(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));

    private static string BuildIdOf(StateMachineRunResult result) =>
        result.Events.First(e => e.Type == "StateExited" && e.StateName == "Prepare").Output!.Value.GetProperty("buildId").GetString()!;

    private static bool BelongsTo(List<Amazon.EC2.Model.Tag>? tags, string buildId) =>
        tags?.FirstOrDefault(t => t.Key == "bakery:build-id")?.Value?.StartsWith(buildId, StringComparison.Ordinal) == true;

    private static string Resource(string name) => Path.Combine(AppContext.BaseDirectory, "resources", "Workflow", name);
}
