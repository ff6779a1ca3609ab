using System.Text.Json.Nodes;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Aws;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>
/// EC2 throttling injected under the SDK: the functions' AWS calls go through the stand-in's
/// <see cref="Ec2ThrottlingProxy"/>, which answers every third EC2 call with EC2's own <c>RequestLimitExceeded</c>.
/// The seed bake, through the real definition, bootstrap and moto, must still succeed, and the proxy's log shows that
/// AwsRetry alone retried every throttled call. How long each retry waits (the ceiling, the jitter) is AwsRetry's own
/// property, asserted without a clock in AwsRetryTests; here the waits are only printed.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class Ec2ThrottlingTests(LocalBakery bakery, ITestOutputHelper output)
{
    [Fact]
    public async Task The_seed_bake_succeeds_with_a_third_of_EC2_calls_throttled_each_retried_by_AwsRetry_alone()
    {
        var prefix = $"builds/throttled/{Guid.NewGuid():N}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        var before = await StandInQueries.OwnImagesAndSnapshotsAsync(bakery);

        bakery.AwsProxy.SetPlan(Ec2ThrottlePlan.Of(1, 3));
        StateMachineRunResult run;
        IReadOnlyList<ProxiedCall> calls;
        try
        {
            run = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}my_test_build.json" }.ToJsonString());
        }
        finally
        {
            calls = bakery.AwsProxy.Calls;
            bakery.AwsProxy.SetPlan(Ec2ThrottlePlan.None);
        }

        var ec2 = calls.Where(c => c.IsEc2).ToList();
        var throttled = ec2.Where(c => c.Throttled).ToList();
        var gaps = Ec2ThrottlingProxy.RetryGapsOf(calls);
        output.WriteLine($"{run.Status} {run.Error} {run.Cause}");
        output.WriteLine($"{throttled.Count} of {ec2.Count} EC2 calls throttled; {calls.Count} AWS calls in all");
        foreach (var gap in gaps)
        {
            output.WriteLine($"  retry {gap.Retry} of {gap.Action} after {gap.Delay.TotalMilliseconds:0.0} ms");
        }

        // The bake succeeded and left nothing but its AMI.
        Assert.True(run.Status == ExecutionStatus.Succeeded, $"{run.Status}: {run.Error}: {run.Cause}");
        var buildId = run.Output!.Value.GetProperty("buildId").GetString()!;
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
        var record = await new DynamoDbBuildLedger(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System))
            .GetAsync(buildId, CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
        var fresh = (await StandInQueries.OwnImagesAndSnapshotsAsync(bakery)).Except(before).ToList();
        Assert.Equal(2, fresh.Count); // one AMI, one snapshot

        // A third of the EC2 calls, exactly (the plan is deterministic), and only EC2 calls.
        Assert.Equal(ec2.Count / 3, throttled.Count);
        Assert.DoesNotContain(calls, c => c.Throttled && !c.IsEc2);

        // ...spread over several steps of the flow, not one unlucky call: each function signs with its own access key.
        var steps = throttled.Select(c => FunctionAccessKeys.FunctionOf(c.AccessKeyId)).OfType<string>().Distinct().ToList();
        output.WriteLine($"throttled in: {string.Join(", ", steps)}");
        Assert.True(steps.Count >= 3, $"throttled calls fell in {string.Join(", ", steps)} only");

        // The SDK made one attempt per call; AwsRetry alone retried, and no step let a throttled call go unretried.
        Assert.All(calls.Where(c => c.SdkAttempt is not null), c => Assert.Equal(1, c.SdkAttempt));
        Assert.Equal(throttled.Count, gaps.Count);
    }
}
