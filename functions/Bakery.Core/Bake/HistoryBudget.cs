namespace Bakery.Core.Bake;

/// <summary>
/// One build's share of its execution's history (Step Functions keeps at most 25,000 events per execution, and every
/// builder of a file writes into the same one), and how much of it the build's wait loops have spent. Prepare sets it;
/// each check of a wait loop spends from it; a loop that would overspend gives up with Teardown still to come.
/// </summary>
public sealed record HistoryBudget
{
    /// <summary>Events this build's wait-loop checks may take, beyond one pass through its states (which is paid up front).</summary>
    public int Share { get; init; }

    /// <summary>Events the build's wait-loop checks have taken so far.</summary>
    public int Spent { get; init; }

    /// <summary>How many builds share the execution's history (the file's builders after -only/-except).</summary>
    public int Builds { get; init; }
}
