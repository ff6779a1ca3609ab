using Bakery.Core.Aws;
using Bakery.Core.Ledger;

namespace Bakery.Core.Janitor.Internal;

/// <summary>
/// Which builds are live and what the ledger says of the dead ones, and from that which resources go. A build is
/// live when its ledger record says so at <c>now</c>, or, unknown to the ledger, while its instance is younger than
/// the grace period; a build whose record could not be read counts as live: never sweep on a guess.
/// </summary>
internal sealed class BuildVerdicts
{
    private readonly HashSet<string> live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BuildRecord> records = new(StringComparer.Ordinal);
    private readonly DateTimeOffset now;
    private readonly TimeSpan unknownBuildGrace;

    private BuildVerdicts(DateTimeOffset now, TimeSpan unknownBuildGrace)
    {
        this.now = now;
        this.unknownBuildGrace = unknownBuildGrace;
    }

    public bool IsLive(string buildId) => live.Contains(buildId);

    public static async Task<BuildVerdicts> ReadAsync(
        IBuildLedger ledger,
        IReadOnlyList<string> buildIds,
        IReadOnlyList<ManagedResource> instances,
        DateTimeOffset now,
        TimeSpan unknownBuildGrace,
        SweepErrors errors,
        CancellationToken cancellationToken)
    {
        var verdicts = new BuildVerdicts(now, unknownBuildGrace);
        foreach (var buildId in buildIds)
        {
            var unreadable = false;
            var record = await errors.AttemptAsync($"ledger: {buildId}", async token =>
            {
                try
                {
                    return await ledger.GetAsync(buildId, token).ConfigureAwait(false);
                }
                catch (Exception) when (!token.IsCancellationRequested)
                {
                    unreadable = true;
                    throw;
                }
            }, null, cancellationToken).ConfigureAwait(false);
            if (record is not null)
            {
                verdicts.records[buildId] = record;
            }

            var isLive = record is not null
                ? record.IsLiveAt(now)
                : instances.Any(instance => instance.BuildId == buildId && verdicts.IsYoung(instance));
            if (isLive || unreadable)
            {
                verdicts.live.Add(buildId);
            }
        }

        return verdicts;
    }

    /// <summary>
    /// Closes the records of abandoned builds (claimed or running past their deadline) as failed with
    /// <paramref name="errorName"/>, before their resources are touched: a build that finished meanwhile (its Publish
    /// won the race) loses the condition and counts as live this run. Returns the builds closed.
    /// </summary>
    public async Task<IReadOnlyList<string>> CloseAbandonedAsync(IBuildLedger ledger, string errorName, SweepErrors errors, CancellationToken cancellationToken)
    {
        var abandoned = new List<string>();
        foreach (var (buildId, record) in records.Where(pair => !live.Contains(pair.Key) && pair.Value.Status is BuildStatus.Claimed or BuildStatus.Running).ToList())
        {
            var cause = $"No step finished by the build's deadline ({DateTimeOffset.FromUnixTimeSeconds(record.DeadlineEpochSeconds):u}); " +
                $"its execution stopped, timed out or lost its runner (last step: {record.Step ?? "none"} {record.StepStatus}). " +
                "The janitor removed what it left.";
            var closed = await errors.AttemptAsync($"ledger: close {buildId}", token => ledger.TryFailAsync(buildId, errorName, cause, record.Images, token), false, cancellationToken)
                .ConfigureAwait(false);
            if (closed)
            {
                abandoned.Add(buildId);
                records[buildId] = record with { Status = BuildStatus.Failed };
            }
            else
            {
                live.Add(buildId);
            }
        }

        return abandoned;
    }

    /// <summary>An instance or group goes when its build is dead; untagged, once older than the grace period.</summary>
    public bool Doomed(ManagedResource resource) =>
        resource.BuildId is { } id ? !live.Contains(id) : !IsYoung(resource);

    /// <summary>
    /// An image is a build's result when the build succeeded or recorded it (a finished builder of a failed build).
    /// Without a record (expired by TTL after 90 days, or never readable) nothing says it is not a result: kept.
    /// </summary>
    public bool ImageDoomed(ManagedResource image) =>
        image.BuildId is { } id
        && !live.Contains(id)
        && records.TryGetValue(id, out var record)
        && record.Status != BuildStatus.Succeeded
        && !record.Images.Any(result => result.Region == image.Region && result.ImageId == image.Id)
        // Kept for a resume until the hold expires (ResumePoints.DefaultHold); then it goes like any failed build's image.
        && record.Resume?.Holds(image.Region, image.Id, now) != true;

    public bool SnapshotDoomed(ManagedResource snapshot) =>
        snapshot.BuildId is { } id
        && !live.Contains(id)
        && records.TryGetValue(id, out var record)
        && record.Status != BuildStatus.Succeeded;

    private bool IsYoung(ManagedResource resource) =>
        resource.CreatedAt is { } created && now - created < unknownBuildGrace;
}
