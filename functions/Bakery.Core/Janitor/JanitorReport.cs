namespace Bakery.Core.Janitor;

/// <summary>What one janitor run found and did. Resources are written <c>region:id</c>.</summary>
public sealed record JanitorReport
{
    public DateTimeOffset CheckedAt { get; init; }
    public IReadOnlyList<string> Regions { get; init; } = [];
    /// <summary>Builds that had leftovers and were not live: their resources were removed.</summary>
    public IReadOnlyList<string> CleanedBuilds { get; init; } = [];
    /// <summary>Builds with resources that are live (claimed or running, before their deadline): left alone.</summary>
    public IReadOnlyList<string> LiveBuilds { get; init; } = [];
    public IReadOnlyList<string> TerminatedInstances { get; init; } = [];
    public IReadOnlyList<string> DeletedSecurityGroups { get; init; } = [];
    /// <summary>Groups still attached to a terminating instance: the next run deletes them.</summary>
    public IReadOnlyList<string> PendingSecurityGroups { get; init; } = [];
    public IReadOnlyList<string> DeletedStagedPrefixes { get; init; } = [];
    public int DeletedStagedObjects { get; init; }
    /// <summary>What could not be done, one line each; the run goes on past them.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
