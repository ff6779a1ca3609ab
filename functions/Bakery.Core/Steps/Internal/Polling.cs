using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// How long to wait between checks and when to give up: the build file's <c>aws_polling</c> when given (Packer's
/// meaning: <c>max_attempts</c> checks <c>delay_seconds</c> apart), else checks 2 s, 3 s, then every 4 s for the
/// first ten minutes of a wait and every 30 s after that, with Packer's 10-minute budget.
/// </summary>
/// <remarks>
/// A wait loop notices readiness half an interval late on average, so the interval in effect at the end of a phase is
/// the latency a bake pays for polling: at 4 s the five waits of a 10-minute bake add about 10 s (1.7 %). A check
/// costs 3 state transitions (Wait, Task, Choice), so past ten minutes, where 15 s more is noise, the checks slow down
/// to keep a long provisioning script's execution history small. docs/benchmarks.md section 6 has the model
/// (tools/benchmarks/cost_model.py reads <see cref="Schedule"/> and <see cref="FastSeconds"/> from this file).
/// </remarks>
internal static class Polling
{
    /// <summary>Packer's defaults for its AWS waiters: 40 checks 15 s apart.</summary>
    public const int DefaultMaxAttempts = 40;
    public const int DefaultDelaySeconds = 15;

    // Short first waits so a command that takes a second is seen at once; then the last value until FastSeconds.
    private static readonly int[] Schedule = [2, 3, 4];
    private const int FastSeconds = 600;
    private const int SlowDelaySeconds = 30;

    /// <summary>How many checks the fast part of the schedule takes (151: 2 + 3 + 149 × 4 ≥ 600 s).</summary>
    public static int FastChecks { get; } =
        Schedule.Length + (int)Math.Ceiling((FastSeconds - (double)Schedule.Sum()) / Schedule[^1]);

    /// <summary>Seconds before check number <paramref name="attempt"/> + 1.</summary>
    public static int NextDelay(int attempt, AwsPolling? polling) =>
        FixedDelay(polling) is { } fixedDelay ? fixedDelay
        : attempt >= FastChecks ? SlowDelaySeconds
        : Schedule[Math.Clamp(attempt, 0, Schedule.Length - 1)];

    /// <summary>The whole wait's budget in seconds (attempts × delay, Packer's meaning of aws_polling).</summary>
    public static int Budget(AwsPolling? polling) =>
        (polling?.MaxAttempts is { } attempts && attempts > 0 ? attempts : DefaultMaxAttempts) * (FixedDelay(polling) ?? DefaultDelaySeconds);

    /// <summary>
    /// True when <paramref name="checks"/> checks have used the wait's budget: with a fixed delay that is exactly
    /// <c>max_attempts</c> checks; with the schedule it is however many checks fit in the same time.
    /// </summary>
    public static bool Exhausted(int checks, AwsPolling? polling) => SecondsWaited(checks, polling) >= Budget(polling);

    /// <summary>The seconds the first <paramref name="checks"/> waits add up to.</summary>
    public static long SecondsWaited(int checks, AwsPolling? polling)
    {
        if (checks <= 0)
        {
            return 0;
        }

        if (FixedDelay(polling) is { } fixedDelay)
        {
            return (long)checks * fixedDelay;
        }

        var scheduled = Math.Min(checks, Schedule.Length);
        var fast = Math.Min(checks, FastChecks);
        return Schedule.Take(scheduled).Sum()
            + (long)(fast - scheduled) * Schedule[^1]
            + (long)(checks - fast) * SlowDelaySeconds;
    }

    /// <summary>How many checks it takes for the waits to add up to <paramref name="seconds"/> (at least one).</summary>
    public static int ChecksFor(long seconds, AwsPolling? polling)
    {
        // Every wait is at least a second, so the answer is at most `seconds`; waits only add up, so search.
        int low = 1, high = (int)Math.Clamp(seconds, 1, int.MaxValue);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (SecondsWaited(middle, polling) >= seconds)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    /// <summary>
    /// The check count at which the workflow's loop stops calling a step (its <c>wait.giveUpAfter</c>): the checks the
    /// step's own budget takes, plus a few, so the step's own, clearer error comes first whenever it can.
    /// </summary>
    public static int GiveUpAfter(long budgetSeconds, AwsPolling? polling) => ChecksFor(budgetSeconds, polling) + GiveUpSlackChecks;

    /// <summary>Checks past a step's own budget before the workflow's backstop stops the loop.</summary>
    public const int GiveUpSlackChecks = 10;

    private static int? FixedDelay(AwsPolling? polling) =>
        polling?.DelaySeconds is { } delay && delay > 0 ? delay : null;
}
