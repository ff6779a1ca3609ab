using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Tags the AMI (tags) and each of its snapshots (tags, overridden by snapshot_tags, as Packer documents) with
/// CreateTags, plus the bakery tags. CreateTags replaces values, so running it twice is harmless.
/// </summary>
public sealed class TagImageStep(IAwsServices aws, AwsRetry retry, TimeProvider time) : IBakeStep
{
    public string Name => StepNames.TagImage;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var started = time.GetUtcNow();
        var builder = state.RequireBuild(Name).Builder;
        var image = state.RequireImage(Name);
        await TagAsync(aws.Images(image.Region), retry, state, builder, image, cancellationToken).ConfigureAwait(false);
        return state.Finished().WithTiming(Name, started, time);
    }

    /// <summary>Tags one image and its snapshots; CopyImage uses it for the copies too.</summary>
    internal static async Task TagAsync(
        IImages images, AwsRetry retry, BakeState state, AmazonEbsBuilder builder, ImageInfo image, CancellationToken cancellationToken)
    {
        // Tags right after CreateImage/CopyImage can meet an image EC2 does not list yet.
        string[] notYet = ["InvalidAMIID.NotFound", "InvalidSnapshot.NotFound"];
        var imageTags = state.TagsWithBakery(builder.Tags);
        await retry.RunAsync("CreateTags", token => images.TagAsync([image.ImageId], imageTags, token), cancellationToken, notYet)
            .ConfigureAwait(false);
        if (image.SnapshotIds.Count > 0)
        {
            var snapshotTags = state.TagsWithBakery(builder.Tags, builder.SnapshotTags);
            await retry.RunAsync("CreateTags", token => images.TagAsync(image.SnapshotIds, snapshotTags, token), cancellationToken, notYet)
                .ConfigureAwait(false);
        }
    }
}
