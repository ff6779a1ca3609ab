using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Tags an image (tags) and each of its snapshots (tags, overridden by snapshot_tags, as Packer documents) with
/// CreateTags, plus the bakery tags: TagImage for the build's image, CopyImage for each copy once it is available.
/// CreateTags replaces values, so tagging twice is harmless.
/// </summary>
internal sealed class ImageTagger(IAwsServices aws, AwsRetry retry)
{
    // Tags right after CreateImage/CopyImage can meet an image EC2 does not list yet.
    private static readonly string[] NotYet = ["InvalidAMIID.NotFound", "InvalidSnapshot.NotFound"];

    public async Task TagAsync(BakeState state, AmazonEbsBuilder builder, ImageInfo image, CancellationToken cancellationToken)
    {
        var images = aws.Images(image.Region);
        var imageTags = state.TagsWithBakery(builder.Tags);
        await retry.RunAsync("CreateTags", token => images.TagAsync([image.ImageId], imageTags, token), cancellationToken, NotYet)
            .ConfigureAwait(false);
        if (image.SnapshotIds.Count > 0)
        {
            var snapshotTags = state.TagsWithBakery(builder.Tags, builder.SnapshotTags);
            await retry.RunAsync("CreateTags", token => images.TagAsync(image.SnapshotIds, snapshotTags, token), cancellationToken, NotYet)
                .ConfigureAwait(false);
        }
    }
}
