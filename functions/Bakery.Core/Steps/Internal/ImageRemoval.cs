using Bakery.Core.Aws;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Deregisters images and deletes snapshots: Teardown's (one failed build's) and the janitor's (dead builds').
/// Ids are written <c>region:id</c>. A snapshot that an image which stays still uses is never deleted; "already gone"
/// counts as removed; an error <paramref name="leavesBehind"/> accepts leaves that resource (and says why), any
/// other error propagates.
/// </summary>
internal sealed class ImageRemoval(IAwsServices aws, AwsRetry retry, Func<Exception, bool> leavesBehind)
{
    /// <param name="images">The images to deregister, each with the snapshots it references (null: ask EC2, e.g. an image that failed while pending).</param>
    /// <param name="snapshots">More snapshots to delete (tagged ones, or those the state lists).</param>
    /// <param name="inUse">Snapshots of images that stay.</param>
    public async Task<ImageRemovalResult> RemoveAsync(
        IEnumerable<(string Image, IReadOnlyList<string>? Snapshots)> images,
        IEnumerable<string> snapshots,
        IEnumerable<string> inUse,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(inUse);
        var errors = new List<string>();
        var deregistered = new List<string>();
        var imagesLeft = new List<string>();
        var doomed = snapshots.ToList();
        var kept = inUse.ToHashSet(StringComparer.Ordinal);
        foreach (var (regional, known) in images)
        {
            var (region, imageId) = StepStates.SplitRegional(regional);
            var own = (known ?? await SnapshotsOfAsync(region, imageId, cancellationToken).ConfigureAwait(false))
                .Select(id => StepStates.Regional(region, id)).ToList();
            try
            {
                await Cleanup.IgnoringGoneAsync(retry, "EC2 DeregisterImage", token => aws.Images(region).DeregisterAsync(imageId, token), cancellationToken)
                    .ConfigureAwait(false);
                deregistered.Add(regional);
                doomed.AddRange(own);
            }
            catch (Exception error) when (leavesBehind(error))
            {
                imagesLeft.Add(regional);
                kept.UnionWith(own);
                errors.Add($"{region}: DeregisterImage {imageId}: {error.Message}");
            }
        }

        var deleted = new List<string>();
        var snapshotsLeft = new List<string>();
        foreach (var regional in doomed.Distinct(StringComparer.Ordinal))
        {
            if (kept.Contains(regional))
            {
                snapshotsLeft.Add(regional);
                continue;
            }

            var (region, snapshotId) = StepStates.SplitRegional(regional);
            try
            {
                await Cleanup.IgnoringGoneAsync(retry, "EC2 DeleteSnapshot", token => aws.Images(region).DeleteSnapshotAsync(snapshotId, token), cancellationToken)
                    .ConfigureAwait(false);
                deleted.Add(regional);
            }
            catch (Exception error) when (leavesBehind(error))
            {
                // E.g. InvalidSnapshot.InUse by an image EC2 has not finished deregistering: the next run gets it.
                snapshotsLeft.Add(regional);
                errors.Add($"{region}: DeleteSnapshot {snapshotId}: {error.Message}");
            }
        }

        return new ImageRemovalResult(deregistered, imagesLeft, deleted, snapshotsLeft, errors);
    }

    private async Task<IReadOnlyList<string>> SnapshotsOfAsync(string region, string imageId, CancellationToken cancellationToken)
    {
        try
        {
            var description = await retry.RunAsync("EC2 DescribeImages", token => aws.Images(region).DescribeAsync(imageId, token), cancellationToken)
                .ConfigureAwait(false);
            return description.SnapshotIds;
        }
        catch (Exception error) when (AwsErrors.HasCode(error, Cleanup.GoneCodes))
        {
            // Already deregistered.
            return [];
        }
    }
}
