namespace Bakery.Core.Ledger;

/// <summary>One build as the ledger knows it: what <c>bakery builds</c> and <c>bakery status</c> show.</summary>
public sealed record BuildRecord
{
    public required string BuildId { get; init; }
    public required BuildStatus Status { get; init; }
    public string? Identity { get; init; }
    public string? Source { get; init; }
    public string? Trigger { get; init; }
    /// <summary>The step the build is in (or ended in) and how that step is doing (<c>started</c>, <c>waiting</c>, <c>done</c>, ...).</summary>
    public string? Step { get; init; }
    public string? StepStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public long DeadlineEpochSeconds { get; init; }
    public IReadOnlyList<BuiltImage> Images { get; set; } = [];
    /// <summary>The build file's warnings, as <c>bakery validate</c> words them (Prepare records them).</summary>
    public IReadOnlyList<string> Warnings { get; set; } = [];

    /// <summary>Each builder's RunInstances attempts of a succeeded build, in order (the last one launched).</summary>
    public IReadOnlyList<LedgerLaunchAttempt> LaunchAttempts { get; init; } = [];
    public string? ErrorName { get; init; }
    public string? ErrorCause { get; init; }
    /// <summary>On a failed build: what it kept so that it can be resumed (null when nothing was kept).</summary>
    public ResumeHold? Resume { get; init; }
    /// <summary>Unix seconds when DynamoDB's TTL removes the item.</summary>
    public long ExpiresAtEpochSeconds { get; init; }

    /// <summary>True while the build may still be working: claimed or running, and not past its deadline.</summary>
    public bool IsLiveAt(DateTimeOffset now) =>
        Status is BuildStatus.Claimed or BuildStatus.Running && now.ToUnixTimeSeconds() <= DeadlineEpochSeconds;
}
