using Bakery.BuildFiles.Model;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Tests.Steps;

public class WaitLoopTests
{
    private static readonly AwsPolling ThreeChecks = new() { DelaySeconds = 5, MaxAttempts = 3 };

    [Fact]
    public void A_first_wait_asks_for_the_schedules_first_delay_as_check_one()
    {
        var waiting = StepTestStates.Nginx().StartWaiting("CreateImage");

        Assert.Equal((false, 2, 1), (waiting.Wait!.Done, waiting.Wait.Seconds, waiting.Wait.Attempt));
        Assert.Equal(StepTestStates.Nginx().CheckAgain("CreateImage", 0).Wait, waiting.Wait);
    }

    [Fact]
    public void A_check_within_the_budget_asks_again_after_the_next_delay_and_counts_it()
    {
        var waiting = StepTestStates.Nginx().CheckAgainOrGiveUp("StopInstance", 1, ThreeChecks, (_, _) => new StepTimedOut("not yet"));

        Assert.Equal((false, 5, 2), (waiting.Wait!.Done, waiting.Wait.Seconds, waiting.Wait.Attempt));
        Assert.True(waiting.Wait.GiveUpAfter > 3, "the workflow's backstop comes after the step's own give-up");
    }

    [Fact]
    public void The_check_that_uses_the_last_of_the_budget_throws_the_steps_own_error_with_checks_and_seconds()
    {
        var error = Assert.Throws<ImageFailed>(() => StepTestStates.Nginx().CheckAgainOrGiveUp(
            "CreateImage", 2, ThreeChecks, (checks, seconds) => new ImageFailed($"{checks} checks, {seconds} s")));

        Assert.Equal("3 checks, 15 s", error.Message);
    }

    [Fact]
    public void Each_wait_check_is_paid_from_the_builds_history_share()
    {
        var state = StepTestStates.Nginx() with { History = new HistoryBudget { Share = 100_000, Spent = 0, Builds = 1 } };

        var waiting = state.CheckAgain("Provision", 0);

        Assert.True(waiting.History!.Spent > 0);
    }
}
