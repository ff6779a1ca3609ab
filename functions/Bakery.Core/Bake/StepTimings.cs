namespace Bakery.Core.Bake;

/// <summary>
/// The state's timeline (<see cref="BakeState.Timings"/>): the host stamps each step's answer in one place, around the
/// step, so no step repeats it. Read by the manifest's build time and by Launch's deadline.
/// </summary>
public static class StepTimings
{
    /// <summary>Appends the step's run; a waiting step's repeated calls extend one entry, so state stays small.</summary>
    public static BakeState Record(BakeState state, string step, DateTimeOffset started, DateTimeOffset ended)
    {
        ArgumentNullException.ThrowIfNull(state);
        var timings = state.Timings;
        if (timings.Count > 0 && timings[^1].Step == step && state.Wait is { Done: false })
        {
            return state with { Timings = [.. timings.Take(timings.Count - 1), timings[^1] with { Ended = ended }] };
        }

        return state with { Timings = [.. timings, new StepTiming(step, started, ended)] };
    }
}
