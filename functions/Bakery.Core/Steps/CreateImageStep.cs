using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Makes the AMI from the stopped instance and waits (by wait hints) until it is available, as Packer does:
/// force_deregister of older images with the same name first (in the build region and each of ami_regions), ena/sriov set on the instance, the image and its
/// snapshots recorded for teardown at once, and with encrypt_boot an encrypted copy that replaces the original.
/// The image carries the build's tags from its first moment, so a retried CreateImage (the first call made the image
/// but its answer was lost) finds it by name and tags instead of clashing with its own name.
/// </summary>
public sealed class CreateImageStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    public string Name => StepNames.CreateImage;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var builder = state.RequireBuild(Name).Builder;
        var images = aws.Images(builder.Region);

        var redactor = Redactor.None;
        if (state.Image is null || (builder.EncryptBoot == true && state.Image.CopiedFrom is null))
        {
            // The image is named with the real values; the state and every message keep them masked.
            (builder, redactor) = await RealPlans.ActingBuilderAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);
            if (state.Image is null)
            {
                state = await CreateAsync(state, builder, redactor, images, cancellationToken).ConfigureAwait(false);
            }
        }

        var image = state.Image!;
        var attempt = state.WaitAttempt();
        var description = await retry.RunAsync("DescribeImages", token => images.DescribeAsync(image.ImageId, token), cancellationToken, "InvalidAMIID.NotFound")
            .ConfigureAwait(false);

        if (description.State == "failed" || description.State is "invalid" or "error" or "deregistered")
        {
            throw new ImageFailed(
                $"CreateImage: image {image.ImageId} ({image.Name}) is {description.State}: {description.StateReason ?? "no reason given"}.");
        }

        var snapshots = description.SnapshotIds;
        state = state with
        {
            Image = image with { State = description.State, SnapshotIds = snapshots },
            Created = state.Created with
            {
                Snapshots = state.Created.Snapshots.Adding(snapshots.Select(id => StepStates.Regional(builder.Region, id))),
            },
        };

        if (description.State != "available")
        {
            return state.CheckAgainOrGiveUp(Name, attempt, builder.AwsPolling, (checks, seconds) =>
                new ImageFailed($"CreateImage: image {image.ImageId} still {description.State} after {checks} checks ({seconds} s); give large volumes more time with aws_polling (max_attempts × delay_seconds)."));
        }

        if (builder.EncryptBoot == true && state.Image.CopiedFrom is null)
        {
            state = await StartEncryptedCopyAsync(state, builder, redactor, images, cancellationToken).ConfigureAwait(false);
            return state.StartWaiting(Name, builder.AwsPolling);
        }

        if (state.Image.CopiedFrom is { } original)
        {
            state = await RemoveUnencryptedAsync(state, original, images, cancellationToken).ConfigureAwait(false);
        }

        return state.Finished();
    }

    private async Task<BakeState> CreateAsync(BakeState state, AmazonEbsBuilder builder, Redactor redactor, IImages images, CancellationToken cancellationToken)
    {
        var instanceId = state.RequireInstanceId(Name);
        var name = BuildTimeData.Render(builder.AmiName, state);
        if (await FindOwnAsync(state, name, images, cancellationToken).ConfigureAwait(false) is { } madeBefore)
        {
            return Created(state, builder, madeBefore, redactor.Redact(name));
        }

        if (builder.ForceDeregister)
        {
            foreach (var region in ForceDeregisterRegions(builder))
            {
                await DeregisterSameNameAsync(builder, region, name, cancellationToken).ConfigureAwait(false);
            }
        }

        // As today's amazon plugin does, not for a spot instance: it was never stopped, and EC2 changes these only on a stopped one.
        if (state.Instance?.Spot != true && (builder.EnaSupport is not null || builder.SriovSupport is true))
        {
            await retry.RunAsync(
                "ModifyInstanceAttribute",
                token => aws.Instances(builder.Region).SetNetworkingAsync(instanceId, builder.EnaSupport, builder.SriovSupport, token),
                cancellationToken).ConfigureAwait(false);
        }

        var request = new CreateImageRequest
        {
            InstanceId = instanceId,
            Name = name,
            Description = builder.AmiDescription is { } description ? BuildTimeData.Render(description, state) : null,
            BlockDeviceMappings = builder.AmiBlockDeviceMappings.Count > 0 ? [.. builder.AmiBlockDeviceMappings.Select(LaunchStep.ToSdk)] : null,
            // The snapshots are tagged from their first moment too: Teardown and the janitor may only delete snapshots
            // tagged bakery:managed, even if the build dies before CreateImage returns, and IAM asks for the tags.
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Image, Tags = state.ImageTags() },
                new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = state.ImageTags() },
            ],
        };

        string imageId;
        try
        {
            // Right after StopInstances EC2 may still say the instance "is not in state" stopped: retry that too.
            imageId = await retry.RunAsync("CreateImage", token => images.CreateAsync(request, token), cancellationToken, "IncorrectInstanceState")
                .ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
        {
            // A call the SDK retried may have made the image on its first try.
            if (AwsErrors.HasCode(error, "InvalidAMIName.Duplicate")
                && await FindOwnAsync(state, name, images, cancellationToken).ConfigureAwait(false) is { } own)
            {
                return Created(state, builder, own, redactor.Redact(name));
            }

            throw new ImageFailed(redactor.Redact($"CreateImage: refused for '{name}' from {instanceId}: {error.ErrorCode}: {error.Message}"), error);
        }

        return Created(state, builder, imageId, redactor.Redact(name));
    }

    private static BakeState Created(BakeState state, AmazonEbsBuilder builder, string imageId, string name) => state with
    {
        Image = new ImageInfo { Region = builder.Region, ImageId = imageId, Name = name, State = "pending" },
        Created = state.Created with { Images = state.Created.Images.Adding(StepStates.Regional(builder.Region, imageId)) },
        Wait = null,
    };

    /// <summary>This build's own image of that name (tagged with its build id and builder), or null.</summary>
    private async Task<string?> FindOwnAsync(BakeState state, string name, IImages images, CancellationToken cancellationToken)
    {
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["name"] = [name] };
        foreach (var (key, value) in state.BakeryTags())
        {
            filters[$"tag:{key}"] = [value];
        }

        var found = await retry.RunAsync("DescribeImages", token => images.FindAsync(filters, ["self"], token), cancellationToken).ConfigureAwait(false);
        // A failed one counts too: the describe that follows reports why it failed.
        return found.FirstOrDefault()?.ImageId;
    }

    /// <summary>
    /// Where force_deregister looks, as Packer's StepDeregisterAMI does: each of ami_regions, then the build region. It runs
    /// before the image is made, so before any copy: a copy of this build never meets the old image of its name.
    /// </summary>
    internal static IReadOnlyList<string> ForceDeregisterRegions(AmazonEbsBuilder builder) =>
        [.. builder.AmiRegions.Append(builder.Region).Distinct(StringComparer.Ordinal)];

    /// <summary>Deregisters this account's images of that name in one region (and with force_delete_snapshot their snapshots).</summary>
    private async Task DeregisterSameNameAsync(AmazonEbsBuilder builder, string region, string name, CancellationToken cancellationToken)
    {
        var images = aws.Images(region);
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["name"] = [name] };
        var existing = await retry.RunAsync("DescribeImages", token => images.FindAsync(filters, ["self"], token), cancellationToken)
            .ConfigureAwait(false);
        foreach (var old in existing)
        {
            await retry.RunAsync("DeregisterImage", token => images.DeregisterAsync(old.ImageId, token), cancellationToken).ConfigureAwait(false);
            if (builder.ForceDeleteSnapshot)
            {
                foreach (var snapshot in old.SnapshotIds)
                {
                    await retry.RunAsync("DeleteSnapshot", token => images.DeleteSnapshotAsync(snapshot, token), cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task<BakeState> StartEncryptedCopyAsync(BakeState state, AmazonEbsBuilder builder, Redactor redactor, IImages images, CancellationToken cancellationToken)
    {
        var original = state.Image!;
        var request = new CopyImageRequest
        {
            SourceRegion = builder.Region,
            SourceImageId = original.ImageId,
            // The state keeps the name masked: the copy gets the real one, rendered again.
            Name = BuildTimeData.Render(builder.AmiName, state),
            Description = builder.AmiDescription is { } description ? BuildTimeData.Render(description, state) : null,
            Encrypted = true,
            KmsKeyId = builder.KmsKeyId,
            ClientToken = IdempotencyTokens.For(state.BuildId, $"{builder.Name}/encrypt"),
            // Image and snapshots tagged bakery:managed from their first moment: the IAM condition on CopyImage asks for it,
            // and teardown finds them.
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Image, Tags = state.ImageTags() },
                new TagSpecification { ResourceType = ResourceType.Snapshot, Tags = state.ImageTags() },
            ],
        };
        string copyId;
        try
        {
            copyId = await retry.RunAsync("CopyImage", token => images.CopyAsync(request, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
        {
            throw new ImageFailed(redactor.Redact($"CreateImage: encrypted copy of {original.ImageId} refused: {error.ErrorCode}: {error.Message}"), error);
        }

        return state with
        {
            Image = new ImageInfo
            {
                Region = builder.Region,
                ImageId = copyId,
                Name = original.Name,
                State = "pending",
                CopiedFrom = StepStates.Regional(builder.Region, original.ImageId),
            },
            Created = state.Created with { Images = state.Created.Images.Adding(StepStates.Regional(builder.Region, copyId)) },
        };
    }

    /// <summary>Packer's encrypt_boot keeps only the encrypted image: the unencrypted original and its snapshots go.</summary>
    private async Task<BakeState> RemoveUnencryptedAsync(BakeState state, string original, IImages images, CancellationToken cancellationToken)
    {
        var (region, imageId) = StepStates.SplitRegional(original);
        var originalSnapshots = state.Created.Snapshots
            .Where(s => !state.Image!.SnapshotIds.Contains(StepStates.SplitRegional(s).Id))
            .Select(s => StepStates.SplitRegional(s).Id)
            .ToList();
        await Cleanup.IgnoringGoneAsync(retry, "DeregisterImage", token => images.DeregisterAsync(imageId, token), cancellationToken).ConfigureAwait(false);
        foreach (var snapshot in originalSnapshots)
        {
            await Cleanup.IgnoringGoneAsync(retry, "DeleteSnapshot", token => images.DeleteSnapshotAsync(snapshot, token), cancellationToken).ConfigureAwait(false);
        }

        return state with
        {
            Created = state.Created with
            {
                Images = state.Created.Images.Removing(original),
                Snapshots = state.Created.Snapshots.Removing(originalSnapshots.Select(id => StepStates.Regional(region, id))),
            },
        };
    }
}
