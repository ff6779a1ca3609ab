using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;

namespace Bakery.Core.Steps;

/// <summary>
/// Sweeps what builds left behind — builder instances, temporary security groups (both tagged
/// <c>bakery:managed=true</c> + <c>bakery:build-id</c>) and staged objects (<c>staging/{buildId}/</c>) — for every
/// build that is not live in the ledger (finished, failed, past its deadline, or unknown and older than a grace
/// period). A live build's resources are never touched. Runs on a schedule; one failure does not stop the sweep.
/// </summary>
public sealed class JanitorStep
{
    public const string StepName = "Janitor";

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
        foreach (var region in regions.Distinct(StringComparer.Ordinal))
        {
            instances.AddRange(await Attempt(errors, $"{region}: DescribeInstances", token => retry.RunAsync("EC2 DescribeInstances (managed)", t => managed.FindInstancesAsync(region, t), token), [], cancellationToken).ConfigureAwait(false));
            groups.AddRange(await Attempt(errors, $"{region}: DescribeSecurityGroups", token => retry.RunAsync("EC2 DescribeSecurityGroups (managed)", t => managed.FindSecurityGroupsAsync(region, t), token), [], cancellationToken).ConfigureAwait(false));
        }

        var objects = aws.Objects;
        var stagedKeys = await Attempt(errors, "S3 ListObjectsV2 (staging)", token => retry.RunAsync("S3 ListObjectsV2 (staging)", t => objects.ListKeysAsync(configuration.Bucket, options.StagingPrefix, t), token), [], cancellationToken)
            .ConfigureAwait(false);
        var stagedByBuild = stagedKeys
            .Select(key => (Key: key, BuildId: BuildIdOfStagedKey(key)))
            .Where(entry => entry.BuildId is not null)
            .GroupBy(entry => entry.BuildId!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(entry => entry.Key).ToList(), StringComparer.Ordinal);

        var buildIds = instances.Select(r => r.BuildId).Concat(groups.Select(r => r.BuildId)).OfType<string>()
            .Concat(stagedByBuild.Keys)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var buildId in buildIds)
        {
            var record = await Attempt(errors, $"ledger: {buildId}", token => ledger.GetAsync(buildId, token), null, cancellationToken).ConfigureAwait(false);
            var isLive = record is not null
                ? record.IsLiveAt(now)
                : instances.Any(instance => instance.BuildId == buildId && IsYoung(instance, now));
            if (isLive || errors.Any(e => e.StartsWith($"ledger: {buildId}:", StringComparison.Ordinal)))
            {
                // A build whose ledger record could not be read is treated as live: never sweep on a guess.
                live.Add(buildId);
            }
        }

        bool Doomed(ManagedResource resource) =>
            resource.BuildId is { } id ? !live.Contains(id) : !IsYoung(resource, now);

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
            DeletedStagedPrefixes = deletedPrefixes,
            DeletedStagedObjects = deletedObjects,
            Errors = errors,
        };
    }

    private bool IsYoung(ManagedResource resource, DateTimeOffset now) =>
        resource.CreatedAt is { } created && now - created < options.UnknownBuildGrace;

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
