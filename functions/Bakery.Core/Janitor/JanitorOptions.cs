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

    /// <summary>The environment variable naming more regions to sweep (comma-separated: the ami_regions builds copy to).</summary>
    public const string RegionsVariable = "BAKERY_JANITOR_REGIONS";

    /// <summary>
    /// The function's own region first, then those of <paramref name="extraRegions"/> (comma- or space-separated),
    /// each once: copies a dead build started in its ami_regions live there.
    /// </summary>
    public static IReadOnlyList<string> SweptRegions(string homeRegion, string? extraRegions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(homeRegion);
        var extra = (extraRegions ?? string.Empty).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return [.. new[] { homeRegion.Trim() }.Concat(extra).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The prefix under which Prepare stages files, one folder per build id.</summary>
    public string StagingPrefix { get; init; } = "staging/";
}
