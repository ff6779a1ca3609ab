namespace Bakery.Core.Janitor;

/// <summary>Tunables of the janitor.</summary>
public sealed record JanitorOptions
{
    /// <summary>Regions swept when the request names none (the stack's region, plus any others builds run in).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>
    /// A resource of a build the ledger does not know is left alone until it is this old (when EC2 says how old it
    /// is), so a build whose record is still being written is never swept.
    /// </summary>
    public TimeSpan UnknownBuildGrace { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How many of the newest ledger records each run reads to close builds still marked live past their deadline,
    /// including those that left no resource to find them by (a runner that died after Teardown).
    /// </summary>
    public int LedgerScanLimit { get; init; } = 200;

    /// <summary>The prefix under which Prepare stages files, one folder per build id.</summary>
    public string StagingPrefix { get; init; } = "staging/";
}
