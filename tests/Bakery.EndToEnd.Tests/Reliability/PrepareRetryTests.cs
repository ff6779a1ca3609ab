using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>A Prepare that claimed the build and then lost its answer is retried by its own execution, which bakes.</summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class PrepareRetryTests(LocalBakery bakery)
{
    [Fact]
    public async Task A_prepare_that_times_out_after_claiming_is_retried_and_the_build_succeeds_once()
    {
        var prefix = $"builds/prepare-retry-{Guid.NewGuid():N}/";
        var versions = await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        var key = prefix + "my_test_build.json";
        var input = LocalBakery.ObjectCreated(key, versions[key]).ToJsonString();
        bakery.Lambda.SetFaults(LocalFaultPlan.Of(new LocalFault { Function = StepNames.Prepare, ErrorType = LocalFault.TimeoutErrorType, LastAttempt = 1 }));
        StateMachineRunResult run;
        try
        {
            run = await bakery.Runner.RunAsync(input);
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }

        // A later delivery of the same event is another execution: a duplicate.
        var again = await bakery.Runner.RunAsync(input);

        Assert.True(run.Status == ExecutionStatus.Succeeded, $"{run.Status}: {run.Error}: {run.Cause}");
        Assert.Contains(run.Events, e => e.Type == "StateRetried" && e.StateName == StepNames.Prepare);
        Assert.Null(run.Output?.TryGetProperty("skip", out _) == true ? "skipped" : null);
        var buildId = run.Output!.Value.GetProperty("buildId").GetString()!;
        var ledger = new DynamoDbBuildLedger(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));
        Assert.Equal(BuildStatus.Succeeded, (await ledger.GetAsync(buildId, CancellationToken.None))!.Status);
        Assert.Equal("duplicate", again.Output!.Value.GetProperty("skip").GetProperty("reason").GetString());
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
    }
}
