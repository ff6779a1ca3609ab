namespace Bakery.Core.Ledger;

/// <summary>What Prepare writes when it claims a build.</summary>
public sealed record BuildClaim
{
    public required string BuildId { get; init; }
    /// <summary>The trigger's identity the id was derived from (kept for the record and for debugging duplicates).</summary>
    public required string Identity { get; init; }
    /// <summary><c>s3://bucket/key</c> of the build file, or <c>inline</c>.</summary>
    public required string Source { get; init; }
    /// <summary>How the build was started (<c>S3Upload</c>, <c>Schedule</c>, <c>Console</c>).</summary>
    public required string Trigger { get; init; }
    /// <summary>Unix seconds after which the build is considered dead.</summary>
    public required long DeadlineEpochSeconds { get; init; }
    /// <summary>
    /// Who claims: the Step Functions execution running Prepare. A claim with the same token as the stored one wins
    /// again (Prepare retried by its own execution after its first answer was lost); null never re-claims.
    /// </summary>
    public string? ClaimToken { get; init; }
}
