namespace Bakery.Core.Ledger;

/// <summary>
/// The ledger item's attribute names, its key and its index (documented in docs/ledger.md; template.yaml creates the
/// table, Bakery.Local.StandIn.LedgerTableSchema the same table on the stand-in).
/// </summary>
public static class LedgerAttributes
{
    /// <summary>Partition key (S): the build id.</summary>
    public const string BuildId = "buildId";
    /// <summary>TTL attribute (N, Unix seconds).</summary>
    public const string ExpiresAt = "expiresAt";
    /// <summary>The GSI that lists builds newest first: partition <see cref="Listing"/>, sort <see cref="CreatedAt"/>.</summary>
    public const string RecentIndex = "recent";
    /// <summary>GSI partition key (S): always <see cref="ListingValue"/>, so one Query reads builds in creation order.</summary>
    public const string Listing = "listing";
    public const string ListingValue = "build";
    /// <summary>GSI sort key (S): ISO 8601 UTC with milliseconds, which sorts as time.</summary>
    public const string CreatedAt = "createdAt";

    public const string Identity = "identity";
    public const string Source = "source";
    public const string Trigger = "trigger";
    public const string Status = "status";
    public const string Step = "step";
    public const string StepStatus = "stepStatus";
    public const string UpdatedAt = "updatedAt";
    public const string FinishedAt = "finishedAt";
    public const string Deadline = "deadline";
    public const string Images = "images";
    /// <summary>The build file's warnings (L of S, optional).</summary>
    public const string Warnings = "warnings";

    public const string LaunchAttempts = "launchAttempts";
    public const string ErrorName = "errorName";
    public const string ErrorCause = "errorCause";
    /// <summary>A failed build's resume points (L of M: builder, from or reason, images), docs/ledger.md.</summary>
    public const string Resume = "resume";
    /// <summary>Unix seconds (N) until which a failed build's images are kept for a resume.</summary>
    public const string ResumeUntil = "resumeUntil";
    /// <summary>The execution that claimed the build (S, optional): the same execution may claim again.</summary>
    public const string ClaimToken = "claimToken";
}
