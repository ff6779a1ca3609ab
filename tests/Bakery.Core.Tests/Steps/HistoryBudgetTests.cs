using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// Every build gets a share of the execution's 25,000 history events; wait loops spend from it and give up (into
/// Teardown, which has a reserve) before the execution would reach Step Functions' hard quota and fail with no Teardown.
/// </summary>
public class HistoryBudgetTests
{
    [Theory]
    [InlineData(1, 23_879)]
    [InlineData(4, 5_906)]
    public void Each_build_gets_an_equal_share_of_what_the_executions_own_path_leaves(int builds, int share)
    {
        var budget = HistoryEvents.ShareFor(builds);

        Assert.Equal(share, budget.Share);
        // The shares, every build's own path and the execution's fit under the quota with the retry margin to spare.
        Assert.True(HistoryEvents.ExecutionFixed + (builds * (budget.Share + HistoryEvents.OneBuildPath + HistoryEvents.ExecutionPerBuild))
            <= AwsLimits.ExecutionHistoryEvents - HistoryEvents.RetryMargin);
    }

    [Fact]
    public void A_loop_that_would_pass_its_share_gives_up_with_the_real_numbers_and_the_quota()
    {
        var budget = new HistoryBudget { Share = 1_000, Spent = 640 - 9 + 1, Builds = 2 };

        var error = Assert.Throws<HistoryBudgetExhausted>(() => HistoryEvents.Spend(budget, StepNames.Provision));

        Assert.StartsWith("Provision: this build's wait loops have taken 632 history events (70 checks of 9 events)", error.Message, StringComparison.Ordinal);
        Assert.Contains("would pass the 640 its share allows before Teardown", error.Message, StringComparison.Ordinal);
        Assert.Contains("at most 25,000 events", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html", error.Message, StringComparison.Ordinal);
        Assert.Contains("shared by this file's 2 build(s)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_are_counted_up_to_the_limit_and_teardown_spends_its_reserve_without_throwing()
    {
        var budget = new HistoryBudget { Share = 1_000, Spent = 0, Builds = 1 };
        var checks = 0;
        while (HistoryEvents.LoopLimit(budget) - budget.Spent >= HistoryEvents.PerCheck)
        {
            budget = HistoryEvents.Spend(budget, StepNames.WaitForInstance)!;
            checks++;
        }

        Assert.Equal(640 / 9, checks);
        Assert.Throws<HistoryBudgetExhausted>(() => HistoryEvents.Spend(budget, StepNames.WaitForInstance));
        var teardownChecks = 0;
        while (HistoryEvents.CanWait(budget))
        {
            budget = HistoryEvents.Spend(budget, StepNames.Teardown, teardown: true)!;
            teardownChecks++;
        }

        Assert.True(teardownChecks >= HistoryEvents.TeardownReserveChecks, $"Teardown had {teardownChecks} checks");
        Assert.True(budget.Spent <= budget.Share);
    }

    [Fact]
    public async Task A_wait_loop_step_at_the_end_of_its_share_throws_so_the_workflow_catches_into_Teardown()
    {
        var aws = new FakeAws();
        var clock = StepTestStates.Clock();
        var history = new HistoryBudget { Share = 1_000, Spent = HistoryEvents.LoopLimit(new HistoryBudget { Share = 1_000 }) - 8, Builds = 1 };
        var state = StepTestStates.Nginx() with { Instance = new InstanceInfo { InstanceId = "i-1", LaunchedAt = clock.GetUtcNow() }, History = history };

        var error = await Assert.ThrowsAsync<HistoryBudgetExhausted>(
            () => new WaitForInstanceStep(aws, StepTestStates.Retry(), clock).RunAsync(state, CancellationToken.None));

        Assert.StartsWith("WaitForInstance: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_loop_step_with_share_left_spends_one_check()
    {
        var aws = new FakeAws();
        var clock = StepTestStates.Clock();
        var state = StepTestStates.Nginx() with
        {
            Instance = new InstanceInfo { InstanceId = "i-1", LaunchedAt = clock.GetUtcNow() },
            History = HistoryEvents.ShareFor(1),
        };

        var next = await new WaitForInstanceStep(aws, StepTestStates.Retry(), clock).RunAsync(state, CancellationToken.None);

        Assert.False(next.Wait!.Done);
        Assert.Equal(HistoryEvents.PerCheck, next.History!.Spent);
    }

    [Fact]
    public async Task Teardown_with_its_reserve_spent_stops_waiting_and_leaves_the_rest_to_the_janitor()
    {
        var aws = new FakeAws { InstanceStateAfterTerminate = "shutting-down" };
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        aws.Groups.Add("sg-1");
        var state = StepTestStates.Nginx() with
        {
            Instance = new InstanceInfo { InstanceId = "i-1" },
            Created = new CreatedResources { InstanceIds = ["i-1"], SecurityGroupIds = ["sg-1"] },
            History = new HistoryBudget { Share = 1_000, Spent = 995, Builds = 1 },
        };

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.True(done.Wait!.Done);
        Assert.Equal(["sg-1"], done.Created.SecurityGroupIds);
    }

    [Theory]
    [InlineData(4, false)]
    [InlineData(20, false)]
    [InlineData(40, true)]
    public void A_file_whose_builders_would_starve_each_other_of_history_is_refused_before_launch(int builds, bool refused)
    {
        var error = Record.Exception(() => HistoryEvents.EnsureEnough("s3://b/builds/w/w.json", builds));

        Assert.Equal(refused, error is BuildFileInvalid);
        if (refused)
        {
            Assert.Contains($"its {builds} builds would share one execution's history of at most 25,000 events", error!.Message, StringComparison.Ordinal);
        }
    }
}
