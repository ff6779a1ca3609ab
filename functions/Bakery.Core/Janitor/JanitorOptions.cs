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

    /// <summary>The prefix under which Prepare stages files, one folder per build id.</summary>
    public string StagingPrefix { get; init; } = "staging/";
}
