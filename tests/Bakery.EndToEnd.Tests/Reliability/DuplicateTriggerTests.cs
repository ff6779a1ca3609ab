using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.StepFunctions;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>At-least-once delivery: the same trigger arriving several times at once bakes once.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class DuplicateTriggerTests(LocalBakery bakery)
{
    [Fact]
    public async Task The_same_S3_event_delivered_three_times_at_once_starts_exactly_one_bake()
    {
        var prefix = $"builds/triple-{Guid.NewGuid():N}/";
        var versions = await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        var key = prefix + "my_test_build.json";
        var input = LocalBakery.ObjectCreated(key, versions[key]).ToJsonString();

        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => bakery.Runner.RunAsync(input)));

        Assert.All(runs, run => Assert.True(run.Status == ExecutionStatus.Succeeded, $"{run.Error}: {run.Cause}"));
        var baked = Assert.Single(runs, run => run.Events.Any(e => e.StateName == StepNames.Launch));
        Assert.Equal(2, runs.Count(run => run.Output?.TryGetProperty("skip", out var skip) == true && skip.GetProperty("reason").GetString() == "duplicate"));
        var buildId = baked.Output!.Value.GetProperty("buildId").GetString()!;
        Assert.Single(await bakery.ManagedInstancesAsync(), i => StandInQueries.BelongsTo(i.Tags, buildId));
        var images = await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("tag:bakery:build-id", [buildId])] });
        Assert.Single(images.Images ?? []);
    }

    [Fact]
    public async Task A_scheduler_retry_of_the_same_tick_bakes_once()
    {
        var prefix = $"builds/tick-{Guid.NewGuid():N}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        var input = new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}my_test_build.json", ["scheduledTime"] = "2026-11-24T06:00:00Z" }.ToJsonString();

        var runs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => bakery.Runner.RunAsync(input)));

        Assert.All(runs, run => Assert.True(run.Status == ExecutionStatus.Succeeded, $"{run.Error}: {run.Cause}"));
        Assert.Single(runs, run => run.Events.Any(e => e.StateName == StepNames.Launch));
    }
}
