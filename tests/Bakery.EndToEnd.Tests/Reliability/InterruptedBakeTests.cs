using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.Core.Janitor;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>
/// A bake whose runner dies mid-build (the aws-local-stepfunctions process killed after CreateImage registered the
/// AMI), beside a live bake held at the same point; then the janitor, invoked as its schedule does. It must remove
/// everything the dead bake left and nothing of the live one, which then finishes.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class InterruptedBakeTests(LocalBakery bakery, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_janitor_removes_everything_a_killed_bake_left_and_nothing_of_a_live_bake_which_still_succeeds()
    {
        // A failed assertion must not leave CreateImage held for the collection's later tests (they would all time out).
        try
        {
            await KillOneBakeAndSweepAsync();
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }
    }

    private async Task KillOneBakeAndSweepAsync()
    {
        var dead = await UploadAsync("dead");
        var live = await UploadAsync("live");
        // Every CreateImage makes its AMI, then its answer is held: both builds stop right there, resources made.
        bakery.Lambda.SetFaults(LocalFaultPlan.Of(new LocalFault { Function = StepNames.CreateImage, ErrorType = LocalFault.HoldErrorType }));
        using var kill = new CancellationTokenSource();
        Task<StateMachineRunResult> liveRun;
        Task<StateMachineRunResult> deadRun;
        var ids = new RunIds();
        try
        {
            deadRun = bakery.Runner.RunAsync(dead, e => ids.Dead ??= BuildIdOf(e), kill.Token);
            await WaitUntilHeldAsync(1, deadRun, "the first build to reach CreateImage");
            // Both bake the seed, whose ami_name ends in {{timestamp}}: the runner starts the second in a later second
            // than the first's Prepare, so the two names differ (SecondApartRunner).
            liveRun = bakery.Runner.RunAsync(live, e =>
            {
                ids.Live ??= BuildIdOf(e);
                ids.LiveTrouble ??= e.Type is "StateFailed" or "StateCaught" ? $"{e.Type} {e.StateName}: {e.Error}: {e.Cause}" : null;
            });
            await WaitUntilHeldAsync(2, liveRun, "the second build to reach CreateImage");

            // The runner of the first build dies; its held answer has nobody to go to. The test does not wait for
            // the local Lambda service to notice the caller went away: that rests on the server seeing the
            // connection close, which once took two minutes on a loaded machine — longer than CreateImage's
            // 120-second timeout, so the live build's held answer timed out and it tore itself down before the
            // janitor ran. Nothing here depends on it: the dead build's AMI is made either way, and the answer
            // goes nowhere when the plan is cleared.
            await kill.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => deadRun);
        }
        catch
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
            throw;
        }

        var (deadId, liveId) = (ids.Dead!, ids.Live!);
        output.WriteLine($"dead build {deadId}, live build {liveId}");
        var deadImages = await ImagesOfAsync(deadId);
        Assert.NotEmpty(deadImages);
        Assert.All(deadImages, image => Assert.NotEmpty(image.Snapshots));
        Assert.NotEmpty(await StandInQueries.LeftoversAsync(bakery, deadId));
        var liveBefore = await StandInQueries.LeftoversAsync(bakery, liveId);
        var liveImages = await ImagesOfAsync(liveId);
        Assert.NotEmpty(liveBefore);
        Assert.NotEmpty(liveImages);
        var ledger = Ledger();
        Assert.Equal(BuildStatus.Running, (await ledger.GetAsync(deadId, CancellationToken.None))!.Status);
        AssertStillHeld(ids, "before the janitor runs");

        // The dead build's deadline passes (the janitor reads the real clock, so the deadline moves instead).
        await ledger.SetDeadlineAsync(deadId, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), CancellationToken.None);
        var report = await bakery.InvokeAsync("JanitorFunction", ScheduledEvent());
        output.WriteLine($"janitor: {report}");

        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, deadId));
        Assert.Empty(await ImagesOfAsync(deadId));
        Assert.Empty(await ExistingSnapshotsAsync(deadImages.SelectMany(i => i.Snapshots).ToList()));
        var record = await ledger.GetAsync(deadId, CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, ResourceJanitor.AbandonedErrorName), (record!.Status, record.ErrorName));

        Assert.Equal(liveBefore.Order(), (await StandInQueries.LeftoversAsync(bakery, liveId)).Order());
        Assert.Equal(liveImages.Select(i => i.ImageId), (await ImagesOfAsync(liveId)).Select(i => i.ImageId));
        Assert.Equal(
            liveImages.SelectMany(i => i.Snapshots).Order(),
            (await ExistingSnapshotsAsync(liveImages.SelectMany(i => i.Snapshots).ToList())).Order());
        using (var parsed = JsonDocument.Parse(report))
        {
            Assert.Contains(liveId, parsed.RootElement.GetProperty("liveBuilds").EnumerateArray().Select(e => e.GetString()));
        }

        // Released, the live build goes on from CreateImage and finishes as if nothing had happened.
        AssertStillHeld(ids, "after the janitor ran");
        bakery.Lambda.SetFaults(LocalFaultPlan.None);
        var finished = await liveRun;
        Assert.True(finished.Status == ExecutionStatus.Succeeded, $"{finished.Status}: {finished.Error}: {finished.Cause}");
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, liveId));
        Assert.Equal(liveImages.Select(i => i.ImageId), (await ImagesOfAsync(liveId)).Select(i => i.ImageId));
        Assert.Equal(BuildStatus.Succeeded, (await ledger.GetAsync(liveId, CancellationToken.None))!.Status);
    }

    private async Task<string> UploadAsync(string name)
    {
        var prefix = $"builds/interrupted/{name}-{Guid.NewGuid():N}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        return new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}my_test_build.json" }.ToJsonString();
    }

    private static string? BuildIdOf(StateMachineEvent e) =>
        e.Type == "StateExited" && e.StateName == StepNames.Prepare && e.Output is { } state && state.TryGetProperty("buildId", out var id) ? id.GetString() : null;

    /// <summary>What EventBridge Scheduler hands the janitor: no regions, so it sweeps its own.</summary>
    private static string ScheduledEvent() => new JsonObject
    {
        ["version"] = "0",
        ["id"] = Guid.NewGuid().ToString(),
        ["detail-type"] = "Scheduled Event",
        ["source"] = "aws.events",
        ["account"] = "123456789012",
        ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        ["region"] = LocalBakery.Region,
        ["resources"] = new JsonArray("arn:aws:events:us-east-1:123456789012:rule/bakery-janitor"),
        ["detail"] = new JsonObject(),
    }.ToJsonString();

    /// <summary>Awaits the local Lambda service's signal that <paramref name="count"/> answers are held; fails at once when the execution ends first.</summary>
    private async Task WaitUntilHeldAsync(int count, Task<StateMachineRunResult> run, string what)
    {
        using var patience = new CancellationTokenSource(Patience); // bounds a hang only; nothing is judged by time
        var reached = bakery.Lambda.WaitForHeldAnswersAsync(count, patience.Token);
        if (await Task.WhenAny(reached, run) == run && !reached.IsCompleted)
        {
            var result = await run;
            Assert.Fail($"Waiting for {what}, the execution ended: {result.Status} {result.Error}: {result.Cause}");
        }

        try
        {
            await reached;
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Still waiting for {what} after {Patience}.");
        }
    }

    /// <summary>
    /// The live build must still be waiting on its held CreateImage answer: had the answer timed out (the function's
    /// 120-second timeout, as Lambda's), the build would tear itself down and the janitor's verdict would prove
    /// nothing. Fails with what the execution did instead.
    /// </summary>
    private static void AssertStillHeld(RunIds ids, string when) =>
        Assert.True(ids.LiveTrouble is null, $"The live build stopped waiting on CreateImage {when}: {ids.LiveTrouble}");

    private async Task<IReadOnlyList<(string ImageId, IReadOnlyList<string> Snapshots)>> ImagesOfAsync(string buildId)
    {
        var response = await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter("tag:bakery:build-id", [buildId])] });
        return [.. (response.Images ?? [])
            .OrderBy(i => i.ImageId, StringComparer.Ordinal)
            .Select(i => (i.ImageId, (IReadOnlyList<string>)[.. (i.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>()]))];
    }

    private async Task<IReadOnlyList<string>> ExistingSnapshotsAsync(IReadOnlyList<string> snapshotIds)
    {
        if (snapshotIds.Count == 0)
        {
            return [];
        }

        var response = await bakery.Ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter("snapshot-id", [.. snapshotIds])] });
        return [.. (response.Snapshots ?? []).Select(s => s.SnapshotId)];
    }

    private DynamoDbBuildLedger Ledger() =>
        new(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));

    /// <summary>The two builds' ids, set from the runner's events as Prepare exits.</summary>
    private sealed class RunIds
    {
        public string? Dead { get; set; }
        public string? Live { get; set; }

        /// <summary>The live execution's first failed or caught state, if any (it should have none while held).</summary>
        public string? LiveTrouble { get; set; }
    }
}
