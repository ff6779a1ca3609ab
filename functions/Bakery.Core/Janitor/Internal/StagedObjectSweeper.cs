using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Steps;

namespace Bakery.Core.Janitor.Internal;

/// <summary>Finds the objects Prepare staged under <c>staging/{buildId}/</c> and deletes those of dead builds.</summary>
internal sealed class StagedObjectSweeper(IAwsServices aws, BakeryConfiguration configuration, AwsRetry retry, string stagingPrefix)
{
    /// <summary>The staged keys the janitor may remove, by build id.</summary>
    public async Task<IReadOnlyDictionary<string, List<string>>> FindAsync(SweepErrors errors, CancellationToken cancellationToken)
    {
        var keys = await errors.AttemptAsync(
                "S3 ListObjectsV2 (staging)",
                token => retry.RunAsync("S3 ListObjectsV2 (staging)", t => aws.Objects.ListKeysAsync(configuration.Bucket, stagingPrefix, t), token),
                [],
                cancellationToken)
            .ConfigureAwait(false);
        return keys
            .Select(key => (Key: key, BuildId: BuildIdOf(key)))
            .Where(entry => entry.BuildId is not null && !IsKeptAfterTheBuild(entry.Key, entry.BuildId))
            .GroupBy(entry => entry.BuildId!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Select(entry => entry.Key).ToList(), StringComparer.Ordinal);
    }

    /// <summary>Deletes each dead build's staged keys; returns the prefixes cleared and how many objects went.</summary>
    public async Task<(IReadOnlyList<string> Prefixes, int Objects)> SweepAsync(
        IEnumerable<KeyValuePair<string, List<string>>> doomed, SweepErrors errors, CancellationToken cancellationToken)
    {
        var prefixes = new List<string>();
        var objects = 0;
        foreach (var (buildId, keys) in doomed)
        {
            var prefix = $"{stagingPrefix}{buildId}/";
            if (await errors.AttemptAsync(
                    $"S3 DeleteObjects {prefix}",
                    token => retry.RunAsync("S3 DeleteObjects (janitor)", t => aws.Objects.DeleteAsync(configuration.Bucket, keys, t), token),
                    cancellationToken).ConfigureAwait(false))
            {
                prefixes.Add(prefix);
                objects += keys.Count;
            }
        }

        return (prefixes, objects);
    }

    /// <summary>
    /// What a build leaves for its user under its staging prefix: the provisioners' full output (<c>bakery status BUILD
    /// --log</c>) and what file provisioners downloaded. Neither is the janitor's; the bucket's expire-staging lifecycle
    /// rule removes them after StagingRetentionDays.
    /// </summary>
    private bool IsKeptAfterTheBuild(string key, string buildId)
    {
        var root = $"{stagingPrefix}{buildId}/";
        return key.StartsWith(Staging.AllLogsPrefix(root), StringComparison.Ordinal) || key.StartsWith(Staging.DownloadsPrefix(root), StringComparison.Ordinal);
    }

    private string? BuildIdOf(string key)
    {
        if (!key.StartsWith(stagingPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = key[stagingPrefix.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? rest[..slash] : null;
    }
}
