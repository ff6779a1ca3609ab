using Bakery.BuildFiles.Model;
using Bakery.Core.Bake;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// The answer of a step that waits in the workflow's Wait states: "not yet, call me again" after the delay
/// <see cref="Polling"/> gives for this check, or the step's own error once the wait's budget is used up. Steps keep
/// only what is theirs: what "done" means and what their give-up error says.
/// </summary>
internal static class WaitLoop
{
    /// <summary>The first check of a new wait (the step just started something): call again after the first delay.</summary>
    public static BakeState StartWaiting(this BakeState state, string step, AwsPolling? polling = null, long? budgetSeconds = null) =>
        state.CheckAgain(step, 0, polling, budgetSeconds);

    /// <summary>Check <paramref name="attempt"/> + 1 found the work not done: call again after the schedule's next delay.</summary>
    public static BakeState CheckAgain(
        this BakeState state, string step, int attempt, AwsPolling? polling = null, long? budgetSeconds = null, bool teardown = false) =>
        state.WaitAgain(step, Polling.NextDelay(attempt, polling), attempt + 1, polling, budgetSeconds, teardown);

    /// <summary>
    /// As <see cref="CheckAgain"/>, but when this check used the last of the wait's budget, throws what
    /// <paramref name="giveUp"/> makes of the checks made and the seconds they waited.
    /// </summary>
    public static BakeState CheckAgainOrGiveUp(this BakeState state, string step, int attempt, AwsPolling? polling, Func<int, long, Exception> giveUp)
    {
        var checks = attempt + 1;
        if (Polling.Exhausted(checks, polling))
        {
            throw giveUp(checks, Polling.SecondsWaited(checks, polling));
        }

        return state.CheckAgain(step, attempt, polling);
    }
}
