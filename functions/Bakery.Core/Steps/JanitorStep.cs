using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Sweeps what dead builds left behind: builder instances, temporary security groups, AMIs and snapshots (all tagged
/// <c>bakery:managed=true</c> + <c>bakery:build-id</c>) and staged objects (<c>staging/{buildId}/</c>). A build is
/// dead when the ledger says it finished, or says claimed/running but its deadline has passed (then the janitor closes
/// the record as failed with <see cref="AbandonedErrorName"/>); unknown builds count as dead once their instance is
/// older than a grace period. Images are results, so they go only when the ledger knows the build, the build did not
/// succeed and the image is not among the images it recorded. A live build's resources are never touched. Runs on a
/// schedule; one failure does not stop the sweep (docs/operations.md#the-janitor).
/// </summary>
public sealed class JanitorStep
{
    public const string StepName = "Janitor";

    /// <summary>The error name the ledger records for a build the janitor found past its deadline and still "live".</summary>
    public const string AbandonedErrorName = "BuildAbandoned";

    private readonly IAwsServices aws;
    private readonly IManagedResources managed;
    private readonly IBuildLedger ledger;
    private readonly BakeryConfiguration configuration;
    private readonly TimeProvider timeProvider;
    private readonly AwsRetry retry;
    private readonly JanitorOptions options;

    public JanitorStep(
        IAwsServices aws,
        IManagedResources managed,
        IBuildLedger ledger,
        BakeryConfiguration configuration,
        TimeProvider timeProvider,
        AwsRetry retry,
        JanitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(managed);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(retry);
        this.aws = aws;
        this.managed = managed;
        this.ledger = ledger;
        this.configuration = configuration;
        this.timeProvider = timeProvider;
        this.retry = retry;
        this.options = options ?? new JanitorOptions();
    }

    public string Name => StepName;

    public async Task<JanitorReport> RunAsync(JanitorRequest? request, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var regions = request?.Regions is { Count: > 0 } asked ? asked : options.Regions;
        if (regions.Count == 0)
        {
            throw new BuildInputInvalid("The janitor needs at least one region to sweep (request 'regions' or the configured regions).");
        }

        var errors = new List<string>();
        var instances = new List<ManagedResource>();
        var groups = new List<ManagedResource>();
        var images = new List<ManagedResource>();
        var snapshots = new List<ManagedResource>();
        foreach (var region in regions.Distinct(StringComparer.Ordinal))
        {
            instances.AddRange(await Attempt(errors, $"{region}: DescribeInstances", token => retry.RunAsync("EC2 DescribeInstances (managed)", t => managed.FindInstancesAsync(region, t), token), [], cancellationToken).ConfigureAwait(false));
            groups.AddRange(await Attempt(errors, $"{region}: DescribeSecurityGroups", token => retry.RunAsync("EC2 DescribeSecurityGroups (managed)", t => managed.FindSecurityGroupsAsync(region, t), token), [], cancellationToken).ConfigureAwait(false));
            images.AddRange(await Attempt(errors, $"{region}: DescribeImages", token => retry.RunAsync("EC2 DescribeImages (managed)", t => managed.FindImagesAsync(region, t), token), [], cancellationToken).ConfigureAwait(false));
            snapshots.AddRange(await Attempt(errors, $"{region}: DescribeSnapshots", token => retry.RunAsync("EC2 DescribeSnapshots (managed)", t => managed.FindSnapshotsAsync(region, t), token), [], cancellationToken).ConfigureAwait(false));
        }

        var objects = aws.Objects;
        var stagedKeys = await Attempt(errors, "S3 ListObjectsV2 (staging)", token => retry.RunAsync("S3 ListObjectsV2 (staging)", t => objects.ListKeysAsync(configuration.Bucket, options.StagingPrefix, t), token), [], cancellationToken)
            .ConfigureAwait(false);
        var stagedByBuild = stagedKeys
            .Select(key => (Key: key, BuildId: BuildIdOfStagedKey(key)))
            .Where(entry => entry.BuildId is not null && !IsKeptAfterTheBuild(entry.Key, entry.BuildId))
            .GroupBy(entry => entry.BuildId!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(entry => entry.Key).ToList(), StringComparer.Ordinal);

        // Builds still "live" in the ledger past their deadline, even those that left nothing to find them by.
        var recent = await Attempt(errors, "ledger: recent builds", token => ledger.ListRecentAsync(options.LedgerScanLimit, token), [], cancellationToken)
            .ConfigureAwait(false);
        var overdue = recent.Where(r => r.Status is BuildStatus.Claimed or BuildStatus.Running && !r.IsLiveAt(now)).Select(r => r.BuildId);

        var buildIds = instances.Concat(groups).Concat(images).Concat(snapshots).Select(r => r.BuildId).OfType<string>()
            .Concat(stagedByBuild.Keys)
            .Concat(overdue)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var live = new HashSet<string>(StringComparer.Ordinal);
        var records = new Dictionary<string, BuildRecord>(StringComparer.Ordinal);
        foreach (var buildId in buildIds)
        {
            var unreadable = false;
            var record = await Attempt(errors, $"ledger: {buildId}", async token =>
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
                records[buildId] = record;
            }

            var isLive = record is not null
                ? record.IsLiveAt(now)
                : instances.Any(instance => instance.BuildId == buildId && IsYoung(instance, now));
            if (isLive || unreadable)
            {
                // A build whose ledger record could not be read is treated as live: never sweep on a guess.
                live.Add(buildId);
            }
        }

        // Close the records of abandoned builds before touching their resources: a build that finished meanwhile
        // (its Publish won the race) loses the condition and is left alone this run.
        var abandoned = new List<string>();
        foreach (var (buildId, record) in records.Where(pair => !live.Contains(pair.Key) && pair.Value.Status is BuildStatus.Claimed or BuildStatus.Running).ToList())
        {
            var cause = $"No step finished by the build's deadline ({DateTimeOffset.FromUnixTimeSeconds(record.DeadlineEpochSeconds):u}); " +
                $"its execution stopped, timed out or lost its runner (last step: {record.Step ?? "none"} {record.StepStatus}). " +
                "The janitor removed what it left.";
            var closed = await Attempt(errors, $"ledger: close {buildId}", token => ledger.TryFailAsync(buildId, AbandonedErrorName, cause, record.Images, token), false, cancellationToken)
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

        bool Doomed(ManagedResource resource) =>
            resource.BuildId is { } id ? !live.Contains(id) : !IsYoung(resource, now);

        // An image is a build's result when the build succeeded or recorded it (a finished builder of a failed build).
        // Without a record (expired by TTL after 90 days, or never readable) nothing says it is not a result: kept.
        bool ImageDoomed(ManagedResource image) =>
            image.BuildId is { } id
            && !live.Contains(id)
            && records.TryGetValue(id, out var record)
            && record.Status != BuildStatus.Succeeded
            && !record.Images.Any(result => result.Region == image.Region && result.ImageId == image.Id);

        bool SnapshotDoomed(ManagedResource snapshot) =>
            snapshot.BuildId is { } id
            && !live.Contains(id)
            && records.TryGetValue(id, out var record)
            && record.Status != BuildStatus.Succeeded;

        var terminated = new List<string>();
        foreach (var byRegion in instances.Where(Doomed).GroupBy(r => r.Region, StringComparer.Ordinal))
        {
            var ids = byRegion.Select(r => r.Id).ToList();
            var instancesApi = aws.Instances(byRegion.Key);
            if (await Attempt(errors, $"{byRegion.Key}: TerminateInstances {string.Join(",", ids)}", async token =>
                {
                    await retry.RunAsync("EC2 TerminateInstances (janitor)", t => instancesApi.TerminateAsync(ids, t), token, "InvalidInstanceID.NotFound").ConfigureAwait(false);
                    return true;
                }, false, cancellationToken).ConfigureAwait(false))
            {
                terminated.AddRange(ids.Select(id => $"{byRegion.Key}:{id}"));
            }
        }

        var deletedGroups = new List<string>();
        var pendingGroups = new List<string>();
        foreach (var group in groups.Where(Doomed))
        {
            var groupsApi = aws.SecurityGroups(group.Region);
            try
            {
                await retry.RunAsync("EC2 DeleteSecurityGroup (janitor)", token => groupsApi.DeleteAsync(group.Id, token), cancellationToken).ConfigureAwait(false);
                deletedGroups.Add($"{group.Region}:{group.Id}");
            }
            catch (Exception error) when (AwsErrors.HasCode(error, "DependencyViolation"))
            {
                // Still attached to an instance that is shutting down; the next run gets it.
                pendingGroups.Add($"{group.Region}:{group.Id}");
            }
            catch (Exception error) when (AwsErrors.HasCode(error, "InvalidGroup.NotFound"))
            {
                deletedGroups.Add($"{group.Region}:{group.Id}");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                errors.Add($"{group.Region}: DeleteSecurityGroup {group.Id}: {error.Message}");
            }
        }

        var (deregistered, deletedSnapshots) = await RemoveImagesAsync(images, snapshots, ImageDoomed, SnapshotDoomed, errors, cancellationToken).ConfigureAwait(false);

        var deletedPrefixes = new List<string>();
        var deletedObjects = 0;
        foreach (var (buildId, keys) in stagedByBuild.Where(pair => !live.Contains(pair.Key)))
        {
            if (await Attempt(errors, $"S3 DeleteObjects {options.StagingPrefix}{buildId}/", async token =>
                {
                    await retry.RunAsync("S3 DeleteObjects (janitor)", t => objects.DeleteAsync(configuration.Bucket, keys, t), token).ConfigureAwait(false);
                    return true;
                }, false, cancellationToken).ConfigureAwait(false))
            {
                deletedPrefixes.Add($"{options.StagingPrefix}{buildId}/");
                deletedObjects += keys.Count;
            }
        }

        var cleaned = buildIds.Where(id => !live.Contains(id)).ToList();
        return new JanitorReport
        {
            CheckedAt = now,
            Regions = [.. regions],
            CleanedBuilds = cleaned,
            LiveBuilds = [.. buildIds.Where(live.Contains)],
            TerminatedInstances = terminated,
            DeletedSecurityGroups = deletedGroups,
            PendingSecurityGroups = pendingGroups,
            DeregisteredImages = deregistered,
            DeletedSnapshots = deletedSnapshots,
            AbandonedBuilds = abandoned,
            DeletedStagedPrefixes = deletedPrefixes,
            DeletedStagedObjects = deletedObjects,
            Errors = errors,
        };
    }

    /// <summary>
    /// Deregisters the doomed images, then deletes their snapshots and the doomed tagged snapshots — never one that an
    /// image which stays still uses (a copy's or a result's).
    /// </summary>
    private async Task<(List<string> Deregistered, List<string> DeletedSnapshots)> RemoveImagesAsync(
        List<ManagedResource> images,
        List<ManagedResource> snapshots,
        Func<ManagedResource, bool> imageDoomed,
        Func<ManagedResource, bool> snapshotDoomed,
        List<string> errors,
        CancellationToken cancellationToken)
    {
        var deregistered = new List<string>();
        var doomedSnapshots = new List<(string Region, string Id)>();
        foreach (var image in images.Where(imageDoomed))
        {
            var imagesApi = aws.Images(image.Region);
            if (await Attempt(errors, $"{image.Region}: DeregisterImage {image.Id}", async token =>
                {
                    await Cleanup.IgnoringGoneAsync(retry, "EC2 DeregisterImage (janitor)", t => imagesApi.DeregisterAsync(image.Id, t), token).ConfigureAwait(false);
                    return true;
                }, false, cancellationToken).ConfigureAwait(false))
            {
                deregistered.Add($"{image.Region}:{image.Id}");
                doomedSnapshots.AddRange(image.SnapshotIds.Select(id => (image.Region, id)));
            }
        }

        var kept = images.Where(image => !deregistered.Contains($"{image.Region}:{image.Id}"))
            .SelectMany(image => image.SnapshotIds.Select(id => (image.Region, id)))
            .ToHashSet();
        doomedSnapshots.AddRange(snapshots.Where(snapshotDoomed).Select(snapshot => (snapshot.Region, snapshot.Id)));

        var deleted = new List<string>();
        foreach (var (region, snapshotId) in doomedSnapshots.Distinct().Where(snapshot => !kept.Contains(snapshot)))
        {
            var imagesApi = aws.Images(region);
            try
            {
                // Already gone counts as deleted.
                await Cleanup.IgnoringGoneAsync(retry, "EC2 DeleteSnapshot (janitor)", token => imagesApi.DeleteSnapshotAsync(snapshotId, token), cancellationToken)
                    .ConfigureAwait(false);
                deleted.Add($"{region}:{snapshotId}");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                // E.g. InvalidSnapshot.InUse by an image EC2 has not finished deregistering: the next run gets it.
                errors.Add($"{region}: DeleteSnapshot {snapshotId}: {error.Message}");
            }
        }

        return (deregistered, deleted);
    }

    private bool IsYoung(ManagedResource resource, DateTimeOffset now) =>
        resource.CreatedAt is { } created && now - created < options.UnknownBuildGrace;

    /// <summary>
    /// What a build leaves for its user under its staging prefix: the provisioners' full output (<c>bakery status BUILD
    /// --log</c>) and what file provisioners downloaded. Neither is the janitor's; the bucket's expire-staging lifecycle
    /// rule removes them after StagingRetentionDays.
    /// </summary>
    private bool IsKeptAfterTheBuild(string key, string buildId)
    {
        var root = $"{options.StagingPrefix}{buildId}/";
        return key.StartsWith(Staging.AllLogsPrefix(root), StringComparison.Ordinal) || key.StartsWith(Staging.DownloadsPrefix(root), StringComparison.Ordinal);
    }

    private string? BuildIdOfStagedKey(string key)
    {
        if (!key.StartsWith(options.StagingPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key[options.StagingPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? rest[..slash] : null;
    }

    /// <summary>Runs one part of the sweep; a failure becomes a line in the report (prefixed with <paramref name="what"/>) and <paramref name="fallback"/>.</summary>
    private static async Task<T> Attempt<T>(List<string> errors, string what, Func<CancellationToken, Task<T>> call, T fallback, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            errors.Add($"{what}: {error.Message}");
            return fallback;
        }
    }
}
