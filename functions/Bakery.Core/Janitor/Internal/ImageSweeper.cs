using Bakery.Core.Aws;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Janitor.Internal;

/// <summary>
/// Finds managed AMIs and snapshots; deregisters the doomed images and deletes their snapshots and the doomed tagged
/// ones, with Teardown's <see cref="ImageRemoval"/>: never a snapshot an image which stays still uses (a copy's or a result's).
/// </summary>
internal sealed class ImageSweeper(IAwsServices aws, IManagedResources managed, AwsRetry retry)
{
    public Task<IReadOnlyList<ManagedResource>> FindImagesAsync(string region, SweepErrors errors, CancellationToken cancellationToken) =>
        errors.AttemptAsync(
            $"{region}: DescribeImages",
            token => retry.RunAsync("EC2 DescribeImages (managed)", t => managed.FindImagesAsync(region, t), token),
            [],
            cancellationToken);

    public Task<IReadOnlyList<ManagedResource>> FindSnapshotsAsync(string region, SweepErrors errors, CancellationToken cancellationToken) =>
        errors.AttemptAsync(
            $"{region}: DescribeSnapshots",
            token => retry.RunAsync("EC2 DescribeSnapshots (managed)", t => managed.FindSnapshotsAsync(region, t), token),
            [],
            cancellationToken);

    public async Task<(IReadOnlyList<string> Deregistered, IReadOnlyList<string> DeletedSnapshots)> SweepAsync(
        IReadOnlyList<ManagedResource> images,
        IReadOnlyList<ManagedResource> snapshots,
        Func<ManagedResource, bool> imageDoomed,
        Func<ManagedResource, bool> snapshotDoomed,
        SweepErrors errors,
        CancellationToken cancellationToken)
    {
        var doomedImages = images.Where(imageDoomed).ToList();
        var inUse = images.Except(doomedImages).SelectMany(image => image.SnapshotIds.Select(id => Regional(image.Region, id)));
        var removal = new ImageRemoval(aws, retry, error => error is not OperationCanceledException);
        var result = await removal.RemoveAsync(
                doomedImages.Select(image => (Regional(image.Region, image.Id), (IReadOnlyList<string>?)image.SnapshotIds)),
                snapshots.Where(snapshotDoomed).Select(snapshot => Regional(snapshot.Region, snapshot.Id)),
                inUse,
                cancellationToken)
            .ConfigureAwait(false);
        errors.AddRange(result.Errors);
        return (result.Deregistered, result.DeletedSnapshots);
    }

    private static string Regional(string region, string id) => StepStates.Regional(region, id);
}
