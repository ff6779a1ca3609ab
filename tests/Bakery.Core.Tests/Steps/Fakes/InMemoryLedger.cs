using Bakery.Core.Ledger;

namespace Bakery.Core.Tests.Steps.Fakes;

/// <summary>The ledger as a dictionary, with the same claim rule as the DynamoDB one.</summary>
internal sealed class InMemoryLedger : IBuildLedger
{
    public Dictionary<string, BuildRecord> Records { get; } = new(StringComparer.Ordinal);

    public Task<bool> TryClaimAsync(BuildClaim claim, CancellationToken cancellationToken)
    {
        if (Records.ContainsKey(claim.BuildId))
        {
            return Task.FromResult(false);
        }

        Records[claim.BuildId] = new BuildRecord
        {
            BuildId = claim.BuildId,
            Status = BuildStatus.Claimed,
            Identity = claim.Identity,
            Source = claim.Source,
            DeadlineEpochSeconds = claim.DeadlineEpochSeconds,
        };
        return Task.FromResult(true);
    }

    public Task<bool> RecordStepAsync(string buildId, string step, string stepStatus, CancellationToken cancellationToken)
    {
        if (!Records.TryGetValue(buildId, out var record) || record.Status is BuildStatus.Succeeded or BuildStatus.Failed)
        {
            return Task.FromResult(false);
        }

        Records[buildId] = record with { Status = BuildStatus.Running, Step = step, StepStatus = stepStatus };
        return Task.FromResult(true);
    }

    public Task RecordWarningsAsync(string buildId, IReadOnlyList<string> warnings, CancellationToken cancellationToken)
    {
        Records[buildId] = Records[buildId] with { Warnings = warnings };
        return Task.CompletedTask;
    }

    public Task SetDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken)
    {
        Records[buildId] = Records[buildId] with { DeadlineEpochSeconds = deadlineEpochSeconds };
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken)
    {
        Records[buildId] = Get(buildId) with { Status = BuildStatus.Succeeded, Images = images };
        return Task.CompletedTask;
    }

    public Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, IReadOnlyList<LedgerLaunchAttempt> launchAttempts, CancellationToken cancellationToken)
    {
        Records[buildId] = Get(buildId) with { Status = BuildStatus.Succeeded, Images = images, LaunchAttempts = launchAttempts };
        return Task.CompletedTask;
    }

    public Task FailAsync(string buildId, string errorName, string? cause, CancellationToken cancellationToken)
    {
        Records[buildId] = Get(buildId) with { Status = BuildStatus.Failed, ErrorName = errorName, ErrorCause = cause };
        return Task.CompletedTask;
    }

    public Task HoldForResumeAsync(string buildId, ResumeHold hold, CancellationToken cancellationToken)
    {
        Records[buildId] = Get(buildId) with { Resume = hold };
        return Task.CompletedTask;
    }

    /// <summary>The same rule as the DynamoDB one, without the claim token (the fake keeps none).</summary>
    public Task<bool> TryClaimForResumeAsync(string buildId, string? claimToken, long deadlineEpochSeconds, CancellationToken cancellationToken)
    {
        if (!Records.TryGetValue(buildId, out var record) || record.Status != BuildStatus.Failed || record.Resume is null)
        {
            return Task.FromResult(false);
        }

        Records[buildId] = record with { Status = BuildStatus.Claimed, DeadlineEpochSeconds = deadlineEpochSeconds, ErrorName = null, ErrorCause = null };
        return Task.FromResult(true);
    }

    public Task<BuildRecord?> GetAsync(string buildId, CancellationToken cancellationToken) =>
        Task.FromResult(Records.GetValueOrDefault(buildId));

    public Task<IReadOnlyList<BuildRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<BuildRecord>>([.. Records.Values.OrderByDescending(r => r.CreatedAt).Take(limit)]);

    private BuildRecord Get(string buildId) =>
        Records.GetValueOrDefault(buildId) ?? new BuildRecord { BuildId = buildId, Status = BuildStatus.Claimed };
}
