namespace Bakery.Core.Ledger;

/// <summary>
/// The build ledger: one record per build. The claim is the de-duplication point (a duplicate trigger loses it);
/// the rest follows the build so the CLI can show progress and the janitor can tell live builds from dead ones.
/// </summary>
public interface IBuildLedger
{
    /// <summary>
    /// Creates the record if no build with this id exists, or replaces it when it was claimed with the same
    /// <see cref="BuildClaim.ClaimToken"/> (the same execution retrying Prepare). False when the id is already claimed by
    /// another (a duplicate trigger).
    /// </summary>
    Task<bool> TryClaimAsync(BuildClaim claim, CancellationToken cancellationToken);

    /// <summary>
    /// Records that <paramref name="step"/> is at <paramref name="stepStatus"/> and marks the build running. Ignored
    /// (returns false) when the build is unknown or already finished, so a late retry cannot reopen a finished build.
    /// </summary>
    Task<bool> RecordStepAsync(string buildId, string step, string stepStatus, CancellationToken cancellationToken);

    /// <summary>
    /// Keeps the build file's warnings (as <c>bakery validate</c> words them) on the build's record, where <c>bakery status</c>
    /// shows them; a build deployed from S3 has no terminal to print them on.
    /// </summary>
    Task RecordWarningsAsync(string buildId, IReadOnlyList<string> warnings, CancellationToken cancellationToken);

    /// <summary>Sets the build's deadline (Prepare knows it only once the build file is read; the claim uses a default).</summary>
    Task SetDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the build's deadline later (never earlier) while it is claimed or running: a step that sees work alive (a
    /// provisioner still running, a builder launched late) keeps the janitor off it. False when nothing changed.
    /// </summary>
    async Task<bool> ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken)
    {
        // Not atomic; DynamoDbBuildLedger makes it one conditional update.
        var record = await GetAsync(buildId, cancellationToken).ConfigureAwait(false);
        if (record?.Status is not (BuildStatus.Claimed or BuildStatus.Running) || record.DeadlineEpochSeconds >= deadlineEpochSeconds)
        {
            return false;
        }

        await SetDeadlineAsync(buildId, deadlineEpochSeconds, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Marks the build succeeded with the AMIs it produced.</summary>
    Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the build succeeded with the AMIs it produced and each builder's launch attempts (capacity fallback), so the
    /// record shows how the build got its instances. Implementations that cannot keep attempts record the images only.
    /// </summary>
    Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, IReadOnlyList<LedgerLaunchAttempt> launchAttempts, CancellationToken cancellationToken) =>
        CompleteAsync(buildId, images, cancellationToken);

    /// <summary>Marks the build failed with the workflow's error name and cause.</summary>
    Task FailAsync(string buildId, string errorName, string? cause, CancellationToken cancellationToken);

    /// <summary>
    /// Marks the build failed and records the images it did produce (builders that finished while a sibling failed), so
    /// the janitor knows them as the build's results. Implementations that cannot keep images record the failure only.
    /// </summary>
    Task FailAsync(string buildId, string errorName, string? cause, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken) =>
        FailAsync(buildId, errorName, cause, cancellationToken);

    /// <summary>
    /// Like <see cref="FailAsync(string, string, string?, IReadOnlyList{BuiltImage}, CancellationToken)"/>, but only while the
    /// build is still claimed or running: false (and nothing written) when it has finished meanwhile or is unknown. For the
    /// janitor closing an abandoned build and for a failed Publish, neither of which may overwrite a finished record.
    /// </summary>
    async Task<bool> TryFailAsync(string buildId, string errorName, string? cause, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken)
    {
        // Not atomic; DynamoDbBuildLedger makes it one conditional update.
        var record = await GetAsync(buildId, cancellationToken).ConfigureAwait(false);
        if (record?.Status is not (BuildStatus.Claimed or BuildStatus.Running))
        {
            return false;
        }

        await FailAsync(buildId, errorName, cause, images, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Records on a failed build what it kept for a resume (replacing an earlier hold); the build stays failed.</summary>
    Task HoldForResumeAsync(string buildId, ResumeHold hold, CancellationToken cancellationToken);

    /// <summary>
    /// Claims a failed build again for the execution resuming it: only while it is failed with a hold that has not
    /// expired, or when <paramref name="claimToken"/> already claimed it (the same execution retrying Prepare). The
    /// record goes back to claimed with <paramref name="deadlineEpochSeconds"/>; its hold stays until the build
    /// finishes. False when another resume took it first, or it is not resumable any more.
    /// </summary>
    Task<bool> TryClaimForResumeAsync(string buildId, string? claimToken, long deadlineEpochSeconds, CancellationToken cancellationToken);

    Task<BuildRecord?> GetAsync(string buildId, CancellationToken cancellationToken);

    /// <summary>The newest builds first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<BuildRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken);
}
