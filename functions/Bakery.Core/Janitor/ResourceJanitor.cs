using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Janitor.Internal;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;

namespace Bakery.Core.Janitor;

/// <summary>
/// Sweeps what dead builds left behind: builder instances, temporary security groups, AMIs and snapshots (all tagged
/// <c>bakery:managed=true</c> + <c>bakery:build-id</c>) and staged objects (<c>staging/{buildId}/</c>). A build is
/// dead when the ledger says it finished, or says claimed/running but its deadline has passed (then the janitor closes
/// the record as failed with <see cref="AbandonedErrorName"/>); unknown builds count as dead once their instance is
/// older than a grace period. Images are results, so they go only when the ledger knows the build, the build did not
/// succeed and the image is not among the images it recorded. A live build's resources are never touched. Runs on a
/// schedule; one failure does not stop the sweep (docs/operations.md#the-janitor). One sweeper per resource kind.
/// </summary>
public sealed class ResourceJanitor
{
    /// <summary>The error name the ledger records for a build the janitor found past its deadline and still "live".</summary>
    public const string AbandonedErrorName = "BuildAbandoned";

    private readonly IBuildLedger ledger;
    private readonly TimeProvider timeProvider;
    private readonly JanitorOptions options;
    private readonly InstanceSweeper instanceSweeper;
    private readonly SecurityGroupSweeper groupSweeper;
    private readonly ImageSweeper imageSweeper;
    private readonly StagedObjectSweeper stagedSweeper;

    public ResourceJanitor(
        IAwsServices aws,
        IManagedResources managed,
        IBuildLedger ledger,
        BakeryConfiguration configuration,
        AwsRetry retry,
        TimeProvider timeProvider,
        JanitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(managed);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(retry);
        this.ledger = ledger;
        this.timeProvider = timeProvider;
        this.options = options ?? new JanitorOptions();
        instanceSweeper = new InstanceSweeper(aws, managed, retry);
        groupSweeper = new SecurityGroupSweeper(aws, managed, retry);
        imageSweeper = new ImageSweeper(aws, managed, retry);
        stagedSweeper = new StagedObjectSweeper(aws, configuration, retry, this.options.StagingPrefix);
    }

    /// <summary>The function's name in the handler table and the logs.</summary>
    public string Name => StepNames.Janitor;

    public async Task<JanitorReport> RunAsync(JanitorRequest? request, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var regions = request?.Regions is { Count: > 0 } asked ? asked : options.Regions;
        if (regions.Count == 0)
        {
            throw new BuildInputInvalid("The janitor needs at least one region to sweep (request 'regions' or the configured regions).");
        }

        var errors = new SweepErrors();
        var instances = new List<ManagedResource>();
        var groups = new List<ManagedResource>();
        var images = new List<ManagedResource>();
        var snapshots = new List<ManagedResource>();
        foreach (var region in regions.Distinct(StringComparer.Ordinal))
        {
            instances.AddRange(await instanceSweeper.FindAsync(region, errors, cancellationToken).ConfigureAwait(false));
            groups.AddRange(await groupSweeper.FindAsync(region, errors, cancellationToken).ConfigureAwait(false));
            images.AddRange(await imageSweeper.FindImagesAsync(region, errors, cancellationToken).ConfigureAwait(false));
            snapshots.AddRange(await imageSweeper.FindSnapshotsAsync(region, errors, cancellationToken).ConfigureAwait(false));
        }

        var stagedByBuild = await stagedSweeper.FindAsync(errors, cancellationToken).ConfigureAwait(false);

        // Builds still "live" in the ledger past their deadline, even those that left nothing to find them by.
        var recent = await errors.AttemptAsync("ledger: recent builds", token => ledger.ListRecentAsync(options.LedgerScanLimit, token), [], cancellationToken)
            .ConfigureAwait(false);
        var overdue = recent.Where(r => r.Status is BuildStatus.Claimed or BuildStatus.Running && !r.IsLiveAt(now)).Select(r => r.BuildId);

        var buildIds = instances.Concat(groups).Concat(images).Concat(snapshots).Select(r => r.BuildId).OfType<string>()
            .Concat(stagedByBuild.Keys)
            .Concat(overdue)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var verdicts = await BuildVerdicts.ReadAsync(ledger, buildIds, instances, now, options.UnknownBuildGrace, errors, cancellationToken).ConfigureAwait(false);
        var abandoned = await verdicts.CloseAbandonedAsync(ledger, AbandonedErrorName, errors, cancellationToken).ConfigureAwait(false);

        var terminated = await instanceSweeper.SweepAsync(instances.Where(verdicts.Doomed), errors, cancellationToken).ConfigureAwait(false);
        var (deletedGroups, pendingGroups) = await groupSweeper.SweepAsync(groups.Where(verdicts.Doomed), errors, cancellationToken).ConfigureAwait(false);
        var (deregistered, deletedSnapshots) = await imageSweeper.SweepAsync(images, snapshots, verdicts.ImageDoomed, verdicts.SnapshotDoomed, errors, cancellationToken)
            .ConfigureAwait(false);
        var (deletedPrefixes, deletedObjects) = await stagedSweeper.SweepAsync(stagedByBuild.Where(pair => !verdicts.IsLive(pair.Key)), errors, cancellationToken)
            .ConfigureAwait(false);

        return new JanitorReport
        {
            CheckedAt = now,
            Regions = [.. regions],
            CleanedBuilds = [.. buildIds.Where(id => !verdicts.IsLive(id))],
            LiveBuilds = [.. buildIds.Where(verdicts.IsLive)],
            TerminatedInstances = terminated,
            DeletedSecurityGroups = deletedGroups,
            PendingSecurityGroups = pendingGroups,
            DeregisteredImages = deregistered,
            DeletedSnapshots = deletedSnapshots,
            AbandonedBuilds = abandoned,
            DeletedStagedPrefixes = deletedPrefixes,
            DeletedStagedObjects = deletedObjects,
            Errors = [.. errors.Lines],
        };
    }
}
