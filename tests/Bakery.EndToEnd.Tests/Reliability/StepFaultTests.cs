using System.Text.Json.Nodes;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>
/// The seed bake through the real definition, bootstrap and moto with one step failing (the local Lambda service's
/// fault plan): the execution fails with that step's error and a readable cause, the ledger records it, and nothing
/// of the build is left — but the image of a build that failed after CreateImage, kept for a resume (ResumeTests). docs/reliability.md holds the table these cases produce.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class StepFaultTests(LocalBakery bakery, ITestOutputHelper output)
{
    /// <summary>Each step of the flow with the error it throws when it fails for real.</summary>
    public static TheoryData<string, string> StepErrors => new()
    {
        { StepNames.Prepare, nameof(BuildFileInvalid) },
        { StepNames.Launch, nameof(LaunchFailed) },
        { StepNames.WaitForInstance, nameof(InstanceNotReady) },
        { StepNames.Provision, nameof(ProvisionerFailed) },
        { StepNames.StopInstance, nameof(StepTimedOut) },
        { StepNames.CreateImage, nameof(ImageFailed) },
        { StepNames.Teardown, nameof(AwsTransientError) },
        { StepNames.TagImage, nameof(ImageFailed) },
        { StepNames.CopyImage, nameof(ImageCopyFailed) },
        { StepNames.ShareImage, nameof(ShareFailed) },
        { StepNames.Publish, nameof(AwsTransientError) },
    };

    [Theory]
    [MemberData(nameof(StepErrors))]
    public async Task A_fault_at_any_step_fails_the_build_with_that_error_records_it_and_leaves_nothing(string step, string error)
    {
        // Publish fails on all of its own attempts (1 + 5 retries); the workflow's Catch then calls it once more to
        // record the failure, which goes through.
        var result = await BakeWithFaultAsync(step, new LocalFault { Function = step, ErrorType = error, LastAttempt = step == StepNames.Publish ? 6 : null });

        Assert.Equal(ExecutionStatus.Failed, result.Run.Status);
        Assert.Equal(error, result.Run.Error);
        Assert.Contains($"injected by the local fault plan ({step}:{error}", result.Run.Cause, StringComparison.Ordinal);
        if (step == StepNames.Prepare)
        {
            // Nothing was claimed or launched: there is no build to record or clean.
            Assert.DoesNotContain(result.Run.Events, e => e.StateName == StepNames.Launch);
            Assert.Empty(result.NewImagesAndSnapshots);
            return;
        }

        var record = await Ledger().GetAsync(result.BuildId!, CancellationToken.None);
        output.WriteLine($"ledger: {record?.Status} {record?.ErrorName}");
        if (step == StepNames.Publish)
        {
            // Publish runs after every build finished and tore down: the ledger records the failure and lists the AMI
            // as the build's result, so the janitor keeps it.
            Assert.Empty(result.Leftovers);
            Assert.Equal((BuildStatus.Failed, error), (record!.Status, record.ErrorName));
            Assert.Single(record.Images);
            Assert.Contains(result.Run.Events, e => e.Type == "StateEntered" && e.StateName == "RecordPublishFailure");
            return;
        }

        Assert.NotNull(record);
        Assert.Equal(BuildStatus.Failed, record.Status);
        Assert.Equal(error, record.ErrorName);
        if (step == StepNames.Teardown)
        {
            // Teardown itself failing leaves everything tagged; the janitor's next sweep removes it (the build is
            // finished in the ledger, so not live).
            Assert.NotEmpty(result.Leftovers);
            var report = await bakery.InvokeAsync("JanitorFunction", """{"regions":["us-east-1"]}""");
            output.WriteLine($"janitor: {report}");
            Assert.Empty(await StandInQueries.LeftoversAsync(bakery, result.BuildId!));
            return;
        }

        Assert.Empty(result.Leftovers);
        if (AfterTheImage.Contains(step))
        {
            await AssertKeptForResumeAsync(result);
            return;
        }

        Assert.Empty(result.NewImagesAndSnapshots);
    }

    [Theory]
    [MemberData(nameof(StepErrors))]
    public async Task A_step_that_does_its_work_and_then_times_out_fails_the_build_and_leaves_nothing(string step, string unused)
    {
        _ = unused;
        var result = await BakeWithFaultAsync(step, new LocalFault { Function = step, ErrorType = LocalFault.TimeoutErrorType });

        Assert.Equal(ExecutionStatus.Failed, result.Run.Status);
        Assert.Equal("Sandbox.Timedout", result.Run.Error);
        Assert.Contains("Task timed out", result.Run.Cause, StringComparison.Ordinal);
        switch (step)
        {
            case StepNames.Prepare:
                break;
            case StepNames.Publish:
                // The bake succeeded and tore down before Publish: its AMI is the user's result, not a leftover.
                Assert.Empty(result.Leftovers);
                break;
            case StepNames.Teardown:
                // Teardown ran on the success path (instance, group and staged files went) and its answer was lost;
                // the Catch cannot call Teardown again, so the build's AMI stays for the janitor's sweep.
                Assert.Empty(result.Leftovers);
                break;
            case var _ when AfterTheImage.Contains(step):
                Assert.Empty(result.Leftovers);
                await AssertKeptForResumeAsync(result);
                break;
            default:
                Assert.Empty(result.Leftovers);
                Assert.Empty(result.NewImagesAndSnapshots);
                break;
        }
    }

    [Fact]
    public async Task Transient_Lambda_errors_on_the_first_attempt_of_every_step_are_retried_and_the_build_succeeds()
    {
        string[] steps = [StepNames.Prepare, StepNames.Launch, StepNames.WaitForInstance, StepNames.Provision, StepNames.StopInstance, StepNames.CreateImage, StepNames.Teardown, StepNames.TagImage, StepNames.CopyImage, StepNames.ShareImage, StepNames.Publish];
        var faults = steps.Select((step, i) => new LocalFault
        {
            Function = step,
            ErrorType = i % 2 == 0 ? "Lambda.ServiceException" : "Lambda.TooManyRequestsException",
            FirstAttempt = 1,
            LastAttempt = 1,
        }).ToArray();

        var result = await BakeWithFaultAsync("transient", faults);

        Assert.True(result.Run.Status == ExecutionStatus.Succeeded, $"{result.Run.Status}: {result.Run.Error}: {result.Run.Cause}");
        foreach (var step in steps)
        {
            Assert.Contains(result.Run.Events, e => e.Type == "StateRetried" && e.StateName == step);
        }

        Assert.Empty(result.Leftovers);
        var record = await Ledger().GetAsync(result.BuildId!, CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
    }

    private async Task<FaultRun> BakeWithFaultAsync(string name, params LocalFault[] faults)
    {
        var prefix = $"builds/faults/{name}-{Guid.NewGuid():N}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        var before = await StandInQueries.OwnImagesAndSnapshotsAsync(bakery);
        bakery.Lambda.SetFaults(LocalFaultPlan.Of(faults));
        StateMachineRunResult run;
        try
        {
            run = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}my_test_build.json" }.ToJsonString());
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }

        output.WriteLine($"{string.Join(",", faults.Select(f => f.ToString()))} -> {run.Status} {run.Error}: {run.Cause}");
        foreach (var e in run.Events.Where(e => e.Type is "StateEntered" or "StateFailed" or "StateRetried" or "StateCaught"))
        {
            output.WriteLine($"  {e.Type} {e.StateName}{(e.Index is { } i ? $"[{i}]" : "")} {e.Error}");
        }

        var buildId = run.Events.FirstOrDefault(e => e.Type == "StateExited" && e.StateName == StepNames.Prepare)?.Output?.GetProperty("buildId").GetString();
        var leftovers = buildId is null ? [] : await StandInQueries.LeftoversAsync(bakery, buildId);
        var after = await StandInQueries.OwnImagesAndSnapshotsAsync(bakery);
        var fresh = after.Except(before).ToList();
        if (run.Status == ExecutionStatus.Succeeded)
        {
            // A successful bake keeps its AMI and snapshot: not a leak.
            fresh.Clear();
        }

        foreach (var left in leftovers.Concat(fresh))
        {
            output.WriteLine($"  LEFT: {left}");
        }

        return new FaultRun(run, buildId, leftovers, fresh);
    }

    /// <summary>The steps after CreateImage: a failure there keeps the image for a resume (ResumeTests resume them).</summary>
    private static readonly string[] AfterTheImage = ["TagImage", "CopyImage", "ShareImage"];

    /// <summary>
    /// What a failure after the image leaves is exactly the image and its snapshot, listed in the ledger's resume hold
    /// (the janitor removes them when the hold expires).
    /// </summary>
    private async Task AssertKeptForResumeAsync(FaultRun result)
    {
        var record = await Ledger().GetAsync(result.BuildId!, CancellationToken.None);
        var kept = Assert.Single(record!.Resume!.Builders);
        Assert.Equal("TagImage", kept.From);
        Assert.Equal(kept.Images.Select(image => image.ImageId), result.NewImagesAndSnapshots.Where(id => id.StartsWith("ami-", StringComparison.Ordinal)));
        Assert.Equal(2, result.NewImagesAndSnapshots.Count);
    }

    private DynamoDbBuildLedger Ledger() =>
        new(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));

    private sealed record FaultRun(StateMachineRunResult Run, string? BuildId, IReadOnlyList<string> Leftovers, IReadOnlyList<string> NewImagesAndSnapshots);
}
