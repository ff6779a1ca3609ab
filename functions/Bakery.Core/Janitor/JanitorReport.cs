namespace Bakery.Core.Janitor;

/// <summary>What one janitor run found and did. Resources are written <c>region:id</c>.</summary>
public sealed record JanitorReport
{
    public DateTimeOffset CheckedAt { get; init; }
    public IReadOnlyList<string> Regions { get; set; } = [];
    /// <summary>Builds that had leftovers and were not live: their resources were removed.</summary>
    public IReadOnlyList<string> CleanedBuilds { get; set; } = [];
    /// <summary>Builds with resources that are live (claimed or running, before their deadline): left alone.</summary>
    public IReadOnlyList<string> LiveBuilds { get; set; } = [];
    public IReadOnlyList<string> TerminatedInstances { get; set; } = [];
    public IReadOnlyList<string> DeletedSecurityGroups { get; set; } = [];
    /// <summary>Groups still attached to a terminating instance: the next run deletes them.</summary>
    public IReadOnlyList<string> PendingSecurityGroups { get; set; } = [];
    /// <summary>AMIs of dead builds that were not among the build's results (half made, or copies of such), deregistered.</summary>
    public IReadOnlyList<string> DeregisteredImages { get; set; } = [];
    public IReadOnlyList<string> DeletedSnapshots { get; set; } = [];
    /// <summary>Builds the ledger still called claimed or running past their deadline: now failed with <c>BuildAbandoned</c>.</summary>
    public IReadOnlyList<string> AbandonedBuilds { get; set; } = [];
    public IReadOnlyList<string> DeletedStagedPrefixes { get; set; } = [];
    public int DeletedStagedObjects { get; init; }
    /// <summary>What could not be done, one line each; the run goes on past them.</summary>
    public IReadOnlyList<string> Errors { get; set; } = [];
}
