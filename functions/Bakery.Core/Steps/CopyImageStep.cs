using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Bakery.BuildFiles;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Copies the AMI to every region in ami_regions (encrypted with region_kms_key_ids when given), waits by wait
/// hints until every copy is available, then tags each copy and its snapshots like the original.
/// </summary>
public sealed class CopyImageStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    private readonly ImageTagger tagger = new(aws, retry);

    public string Name => StepNames.CopyImage;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var builder = state.RequireBuild(Name).Builder;
        var image = state.RequireImage(Name);

        // Packer skips the build region: the image is already there.
        var regions = builder.AmiRegions.Where(r => r != builder.Region).Distinct(StringComparer.Ordinal).ToList();
        var toStart = regions.Where(r => state.Copies.All(c => c.Region != r)).ToList();
        if (toStart.Count > 0)
        {
            // Copies carry the image's real name; the state keeps it masked.
            var (acting, redactor) = await RealPlans.ActingBuilderAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);
            var realName = BuildTimeData.Render(acting.AmiName, state);
            foreach (var region in toStart)
            {
                state = await StartCopyAsync(state, region, image, realName, redactor, cancellationToken).ConfigureAwait(false);
            }
        }

        var attempt = state.WaitAttempt();
        var copies = new List<ImageInfo>();
        foreach (var copy in state.Copies)
        {
            if (copy.State == "available")
            {
                copies.Add(copy);
                continue;
            }

            var images = aws.Images(copy.Region);
            var description = await retry.RunAsync(
                "DescribeImages", token => images.DescribeAsync(copy.ImageId, token), cancellationToken, "InvalidAMIID.NotFound").ConfigureAwait(false);
            if (description.State is "failed" or "invalid" or "error" or "deregistered")
            {
                throw new ImageCopyFailed(
                    $"CopyImage: copy {copy.ImageId} of {image.ImageId} to {copy.Region} is {description.State}: {description.StateReason ?? "no reason given"}.");
            }

            var updated = copy with { State = description.State, SnapshotIds = description.SnapshotIds };
            if (description.State == "available")
            {
                await tagger.TagAsync(state, builder, updated, cancellationToken).ConfigureAwait(false);
            }

            copies.Add(updated);
        }

        state = state with
        {
            Copies = copies,
            Created = state.Created with
            {
                Snapshots = state.Created.Snapshots.Adding(copies.SelectMany(c => c.SnapshotIds.Select(s => StepStates.Regional(c.Region, s)))),
            },
        };

        if (copies.All(c => c.State == "available"))
        {
            return state.Finished();
        }

        return state.CheckAgainOrGiveUp(Name, attempt, builder.AwsPolling, (checks, seconds) =>
            new ImageCopyFailed(
                $"CopyImage: copies still pending after {checks} checks ({seconds} s; aws_polling sets how long to wait): {string.Join(", ", copies.Where(c => c.State != "available").Select(c => $"{c.Region}:{c.ImageId}"))}."));
    }

    private async Task<BakeState> StartCopyAsync(BakeState state, string region, ImageInfo image, string realName, Redactor redactor, CancellationToken cancellationToken)
    {
        var builder = state.Build!.Builder;
        var kmsKey = builder.RegionKmsKeyIds.TryGetValue(region, out var regionKey) ? regionKey : null;
        var request = new CopyImageRequest
        {
            SourceRegion = image.Region,
            SourceImageId = image.ImageId,
            Name = realName,
            Description = builder.AmiDescription is { } description ? BuildTimeData.Render(description, state) : null,
            Encrypted = kmsKey is not null || builder.EncryptBoot == true ? true : null,
            KmsKeyId = kmsKey,
            // A retried step must not start a second copy in the same region.
            ClientToken = IdempotencyTokens.For(state.BuildId, $"{builder.Name}/copy/{region}"),
            // Image and snapshots tagged bakery:managed from their first moment: the IAM condition on CopyImage asks for it,
            // and teardown and the janitor find them.
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Image, Tags = state.ImageTags() },
                new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = state.ImageTags() },
            ],
        };

        string copyId;
        try
        {
            copyId = await retry.RunAsync("CopyImage", token => aws.Images(region).CopyAsync(request, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
        {
            throw new ImageCopyFailed(redactor.Redact($"CopyImage: copying {image.ImageId} to {region} refused: {error.ErrorCode}: {error.Message}"), error);
        }

        var copy = new ImageInfo
        {
            Region = region,
            ImageId = copyId,
            Name = image.Name,
            State = "pending",
            CopiedFrom = StepStates.Regional(image.Region, image.ImageId),
        };
        return state with
        {
            Copies = [.. state.Copies, copy],
            Created = state.Created with { Images = state.Created.Images.Adding(StepStates.Regional(region, copyId)) },
        };
    }
}
