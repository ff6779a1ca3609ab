using System.Globalization;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Keeps an execution under Step Functions' 25,000 history events (<see cref="AwsLimits.ExecutionHistoryEvents"/>): an
/// execution that reaches the quota fails at once, with no Catch and no Teardown, leaving the instance for the janitor.
/// Each build gets an equal share of what the execution's fixed path leaves; every wait-loop check spends from it; a loop
/// that would overspend throws <see cref="HistoryBudgetExhausted"/>, which the workflow catches into Teardown, paid from
/// a reserve kept for it. The event counts are statemachine/bake.asl.json's (HistoryEventBudgetTests recomputes them
/// from the definition and fails when they drift).
/// </summary>
internal static class HistoryEvents
{
    /// <summary>One check of a wait loop: Wait (entered, exited), the step's Task (entered, scheduled, started, succeeded, exited), the Choice (entered, exited).</summary>
    public const int PerCheck = 9;

    /// <summary>
    /// One build's longest successful path (the Resume? Choice, then through TestImage and PublishParameter) with one check
    /// per wait, Map iteration events included; every further check (TestImage's own waits too) is spent from the share as
    /// it is made.
    /// </summary>
    public const int OneBuildPath = 79;

    /// <summary>The execution around the builds: start, Prepare, the Map, TeardownBuild, Publish, Lifecycle, CheckResults, end.</summary>
    public const int ExecutionFixed = 36;

    /// <summary>What each build adds around its iteration (CheckResults' iteration, Choice and Succeed).</summary>
    public const int ExecutionPerBuild = 6;

    /// <summary>
    /// Events kept back for what the count does not see: a retried task (Lambda.* and AwsTransientError retries) adds
    /// its failure and a new schedule and start.
    /// </summary>
    public const int RetryMargin = 1_000;

    /// <summary>Checks of each build's share kept for Teardown (2 + 3 + 38 × 4 s ≈ 2.5 min of waiting for the instance to end).</summary>
    public const int TeardownReserveChecks = 40;

    /// <summary>The fewest checks the other loops must have between them for a build to be worth starting.</summary>
    public const int MinimumLoopChecks = 50;

    /// <summary>Each of <paramref name="builds"/> builds' share of an execution's <paramref name="quota"/> history events.</summary>
    public static HistoryBudget ShareFor(int builds, int quota = AwsLimits.ExecutionHistoryEvents)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(builds);
        var share = (quota - RetryMargin - ExecutionFixed - (builds * (ExecutionPerBuild + OneBuildPath))) / builds;
        return new HistoryBudget { Share = Math.Max(0, share), Builds = builds };
    }

    /// <summary>What the wait loops before Teardown may spend: the share less Teardown's reserve.</summary>
    public static int LoopLimit(HistoryBudget budget) => budget.Share - (TeardownReserveChecks * PerCheck);

    /// <summary>Refuses a file whose builds would leave each too little history to build, before anything is launched.</summary>
    public static void EnsureEnough(string file, int builds)
    {
        var budget = ShareFor(builds);
        if (LoopLimit(budget) < MinimumLoopChecks * PerCheck)
        {
            throw new BuildFileInvalid(
                $"{file}: its {builds} builds would share one execution's history of at most {N(AwsLimits.ExecutionHistoryEvents)} events " +
                "(Step Functions' hard quota: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html), leaving each " +
                $"{Math.Max(0, LoopLimit(budget)) / PerCheck} checks for its waits, fewer than the {MinimumLoopChecks} a build needs; " +
                "split the builders over several files, or select fewer with -only/-except.");
        }
    }

    /// <summary>
    /// Spends one check from the build's share, or throws <see cref="HistoryBudgetExhausted"/> when the check would pass
    /// what the loops before Teardown may spend. Teardown (<paramref name="teardown"/>) spends from its reserve instead
    /// and never throws: <see cref="CanWait"/> tells it when to stop waiting.
    /// </summary>
    public static HistoryBudget? Spend(HistoryBudget? budget, string step, bool teardown = false)
    {
        if (budget is null)
        {
            return null;
        }

        var spent = budget.Spent + PerCheck;
        if (!teardown && spent > LoopLimit(budget))
        {
            throw new HistoryBudgetExhausted(
                $"{step}: this build's wait loops have taken {N(budget.Spent)} history events ({N(budget.Spent / PerCheck)} checks of {PerCheck} events), " +
                $"and one more check would pass the {N(LoopLimit(budget))} its share allows before Teardown. Step Functions keeps at most " +
                $"{N(AwsLimits.ExecutionHistoryEvents)} events in an execution's history (a hard quota: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, " +
                $"\"Maximum execution history size\"), shared by this file's {budget.Builds} build(s); Bakery gives up here so Teardown still runs. " +
                "Build fewer builders per file, or give long waits fewer checks (aws_polling with a larger delay_seconds).");
        }

        return budget with { Spent = spent };
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Whether Teardown may wait once more without passing the build's share.</summary>
    public static bool CanWait(HistoryBudget? budget) => budget is null || budget.Spent + PerCheck <= budget.Share;
}
