using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Grants launch permission on the AMI and its copies (ami_users, ami_groups) and create-volume permission on
/// their snapshots (snapshot_users, snapshot_groups). Adding a permission twice is harmless.
/// </summary>
public sealed class ShareImageStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    public string Name => StepNames.ShareImage;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        state.RequireBuild(Name);
        var image = state.RequireImage(Name);
        // Shared with the real accounts and groups, should a build keep those sensitive.
        var (builder, redactor) = await RealPlans.ActingBuilderAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);

        foreach (var target in (IEnumerable<ImageInfo>)[image, .. state.Copies])
        {
            var images = aws.Images(target.Region);
            try
            {
                if (builder.AmiUsers.Count > 0 || builder.AmiGroups.Count > 0)
                {
                    await retry.RunAsync(
                        "ModifyImageAttribute",
                        token => images.AddLaunchPermissionAsync(target.ImageId, builder.AmiUsers, builder.AmiGroups, token),
                        cancellationToken).ConfigureAwait(false);
                }

                if (builder.SnapshotUsers.Count > 0 || builder.SnapshotGroups.Count > 0)
                {
                    foreach (var snapshot in target.SnapshotIds)
                    {
                        await retry.RunAsync(
                            "ModifySnapshotAttribute",
                            token => images.AddCreateVolumePermissionAsync(snapshot, builder.SnapshotUsers, builder.SnapshotGroups, token),
                            cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
            {
                throw new ShareFailed(redactor.Redact($"ShareImage: sharing {target.ImageId} in {target.Region} refused: {error.ErrorCode}: {error.Message}"), error);
            }
        }

        return state.Finished();
    }
}
