using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Resume;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Removes what the build created; safe at any point of the bake and safe to run twice. Terminates the
/// instance, deletes the temporary security group once the instance is gone (wait hints until then), on failure
/// deregisters the half-made images and deletes their snapshots — except an available image (and its live copies) of a
/// builder that failed after CreateImage, which it keeps for a resume and marks <see cref="BakeState.Resume"/>
/// (<see cref="Resume.ResumePoints"/>) — and deletes its own staged objects (downloads stay:
/// they are the user's). Everything confirmed gone moves from <see cref="BakeState.Created"/> to
/// <see cref="BakeState.Removed"/>; "already gone" is never an error. Besides what the state lists, it looks up
/// what carries this build's tags in the build's region: a step that fails after creating something throws its
/// new state away, and the workflow's Catch hands Teardown the state from before that step.
/// The workflow runs it once more on the whole build (TeardownBuild, after every builder finished): that state has no
/// builder, only the staged keys of all builds, so it removes the files the builders shared.
/// </summary>
public sealed class TeardownStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    private const int RemovedKeysKept = 100;

    public string Name => StepNames.Teardown;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var attempt = state.WaitAttempt();
        var created = state.Created;
        var removed = state.Removed ?? new CreatedResources();
        var pending = false;

        if (state.Build?.Builder.Region is { } region)
        {
            created = await AddTaggedAsync(state, region, created, cancellationToken).ConfigureAwait(false);
            var instancesLeft = new List<string>();
            foreach (var instanceId in created.InstanceIds)
            {
                if (await TerminateAsync(region, instanceId, cancellationToken).ConfigureAwait(false))
                {
                    removed = removed with { InstanceIds = removed.InstanceIds.Adding(instanceId) };
                }
                else
                {
                    instancesLeft.Add(instanceId);
                }
            }

            created = created with { InstanceIds = instancesLeft };
            pending |= instancesLeft.Count > 0;

            var groupsLeft = new List<string>();
            foreach (var groupId in created.SecurityGroupIds)
            {
                // A group still attached to an instance cannot go; try again once the instance is terminated.
                if (instancesLeft.Count == 0 && await DeleteGroupAsync(region, groupId, cancellationToken).ConfigureAwait(false))
                {
                    removed = removed with { SecurityGroupIds = removed.SecurityGroupIds.Adding(groupId) };
                }
                else
                {
                    groupsLeft.Add(groupId);
                }
            }

            created = created with { SecurityGroupIds = groupsLeft };
            pending |= groupsLeft.Count > 0;
        }

        ResumeInfo? resume = null;
        if (state.Error is not null)
        {
            // A builder whose image exists keeps it (and its copies) for a resume: what it needs is still there.
            // Everything else it made goes, as on any failure; the ledger's hold lets the janitor remove the kept
            // images once it expires (ResumePoints).
            var held = ResumePoints.CanHold(state) ? ResumePoints.HeldImages(state) : [];
            (created, removed) = await RemoveImagesAsync(created, removed, held, cancellationToken).ConfigureAwait(false);
            resume = held.Count > 0 ? new ResumeInfo { From = ResumePoints.ResumeFrom(state) } : null;
        }
        else
        {
            resume = state.Resume;
        }

        var stagedKeys = await RemoveStagedAsync(state, created, cancellationToken).ConfigureAwait(false);
        created = created with { StagedKeys = [] };
        removed = removed with { StagedKeys = removed.StagedKeys.Adding(stagedKeys).Take(RemovedKeysKept).ToList() };

        state = state with { Created = created, Removed = removed, Resume = resume };
        // Past the wait budget, or the build's share of the execution's history, Teardown stops waiting: what is left
        // stays tagged for the janitor.
        if (!pending || Polling.Exhausted(attempt + 1, null) || !HistoryEvents.CanWait(state.History))
        {
            return state.Finished();
        }

        return state.CheckAgain(Name, attempt, teardown: true);
    }

    /// <summary>
    /// Adds the instances and groups (and, when the build failed, the images and snapshots) tagged with this build's id
    /// and builder. Best effort: when EC2 will not say, what the state lists still goes and the janitor sweeps the rest.
    /// </summary>
    private async Task<CreatedResources> AddTaggedAsync(BakeState state, string region, CreatedResources created, CancellationToken cancellationToken)
    {
        var tags = state.BakeryTags();
        try
        {
            var instanceTags = new Dictionary<string, string>(tags, StringComparer.Ordinal) { [StepStates.RoleTag] = StepStates.BuilderInstanceRole };
            var instances = await retry.RunAsync("DescribeInstances", token => aws.Instances(region).FindTaggedAsync(instanceTags, token), cancellationToken)
                .ConfigureAwait(false);
            var groups = await retry.RunAsync("DescribeSecurityGroups", token => aws.SecurityGroups(region).FindTaggedAsync(tags, token), cancellationToken)
                .ConfigureAwait(false);
            created = created with
            {
                InstanceIds = created.InstanceIds.Adding(instances.Select(instance => instance.InstanceId)),
                SecurityGroupIds = created.SecurityGroupIds.Adding(groups),
            };
            if (state.Error is null)
            {
                return created;
            }

            var images = aws.Images(region);
            var filters = tags.ToDictionary(tag => $"tag:{tag.Key}", tag => (IReadOnlyList<string>)[tag.Value], StringComparer.Ordinal);
            var tagged = await retry.RunAsync("DescribeImages", token => images.FindAsync(filters, ["self"], token), cancellationToken)
                .ConfigureAwait(false);
            var snapshots = await retry.RunAsync("DescribeSnapshots", token => images.FindSnapshotsAsync(tags, token), cancellationToken)
                .ConfigureAwait(false);
            return created with
            {
                Images = created.Images.Adding(tagged.Select(image => StepStates.Regional(region, image.ImageId))),
                Snapshots = created.Snapshots.Adding(
                    tagged.SelectMany(image => image.SnapshotIds).Concat(snapshots).Select(id => StepStates.Regional(region, id)).Distinct(StringComparer.Ordinal)),
            };
        }
        catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
        {
            return created;
        }
    }

    /// <summary>True once the instance is terminated or unknown to EC2.</summary>
    private async Task<bool> TerminateAsync(string region, string instanceId, CancellationToken cancellationToken)
    {
        var instances = aws.Instances(region);
        try
        {
            var instance = await retry.RunAsync("DescribeInstances", token => instances.DescribeAsync(instanceId, token), cancellationToken)
                .ConfigureAwait(false);
            if (instance.State == "terminated")
            {
                return true;
            }

            if (instance.State != "shutting-down")
            {
                await retry.RunAsync("TerminateInstances", token => instances.TerminateAsync([instanceId], token), cancellationToken)
                    .ConfigureAwait(false);
                instance = await retry.RunAsync("DescribeInstances", token => instances.DescribeAsync(instanceId, token), cancellationToken)
                    .ConfigureAwait(false);
            }

            return instance.State == "terminated";
        }
        catch (Exception error) when (AwsErrors.HasCode(error, Cleanup.GoneCodes))
        {
            return true;
        }
        catch (AmazonServiceException error) when (!AwsErrors.IsTransient(error))
        {
            // Not ours to fix here (e.g. termination protection): left tagged for the janitor.
            return false;
        }
    }

    private async Task<bool> DeleteGroupAsync(string region, string groupId, CancellationToken cancellationToken)
    {
        try
        {
            await Cleanup.IgnoringGoneAsync(retry, "DeleteSecurityGroup", token => aws.SecurityGroups(region).DeleteAsync(groupId, token), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }
        catch (AmazonServiceException error) when (AwsErrors.HasCode(error, "DependencyViolation") || !AwsErrors.IsTransient(error))
        {
            return false;
        }
    }

    private async Task<(CreatedResources Created, CreatedResources Removed)> RemoveImagesAsync(
        CreatedResources created, CreatedResources removed, IReadOnlyList<string> held, CancellationToken cancellationToken)
    {
        // The images' own snapshots may not be in the state yet (it failed while pending): ImageRemoval asks EC2.
        // Held images stay with their snapshots (ImageRemoval never deletes a snapshot an image that stays uses).
        var removal = new ImageRemoval(aws, retry, error => error is AmazonServiceException && !AwsErrors.IsTransient(error));
        var kept = await HeldSnapshotsAsync(held, cancellationToken).ConfigureAwait(false);
        var result = await removal.RemoveAsync(
                created.Images.Except(held, StringComparer.Ordinal).Select(image => (image, (IReadOnlyList<string>?)null)),
                created.Snapshots.Except(kept, StringComparer.Ordinal),
                kept,
                cancellationToken)
            .ConfigureAwait(false);
        return (
            created with
            {
                Images = [.. held.Concat(result.ImagesLeft).Distinct(StringComparer.Ordinal)],
                Snapshots = [.. kept.Intersect(created.Snapshots, StringComparer.Ordinal).Concat(result.SnapshotsLeft).Distinct(StringComparer.Ordinal)],
            },
            removed with { Images = removed.Images.Adding(result.Deregistered), Snapshots = removed.Snapshots.Adding(result.DeletedSnapshots) });
    }

    /// <summary>The snapshots ("region:snap-id") of the held images, as EC2 lists them: these stay with their images.</summary>
    private async Task<IReadOnlyList<string>> HeldSnapshotsAsync(IReadOnlyList<string> held, CancellationToken cancellationToken)
    {
        var snapshots = new List<string>();
        foreach (var entry in held)
        {
            var (region, imageId) = StepStates.SplitRegional(entry);
            try
            {
                var image = await retry.RunAsync("DescribeImages", token => aws.Images(region).DescribeAsync(imageId, token), cancellationToken).ConfigureAwait(false);
                snapshots.AddRange(image.SnapshotIds.Select(id => StepStates.Regional(region, id)));
            }
            catch (Exception error) when (AwsErrors.HasCode(error, Cleanup.GoneCodes))
            {
                // Gone already: a resume finds that out and says so.
            }
        }

        return snapshots;
    }

    private async Task<IReadOnlyList<string>> RemoveStagedAsync(BakeState state, CreatedResources created, CancellationToken cancellationToken)
    {
        if (state.Source?.Bucket is not { } bucket)
        {
            return [];
        }

        // Only this build's own keys: sibling builds of the same file share the staging prefix and may still need
        // what lies there (Prepare lists a file two builds use under neither; TeardownBuild removes it at the end).
        // An entry ending in '/' is a staged folder (Staging.FolderPrefix): its files, however many, are listed here.
        var keys = new List<string>();
        foreach (var entry in created.StagedKeys.Distinct(StringComparer.Ordinal))
        {
            if (entry.EndsWith('/'))
            {
                keys.AddRange(await retry.RunAsync("ListObjectsV2 (staged folder)", token => aws.Objects.ListKeysAsync(bucket, entry, token), cancellationToken)
                    .ConfigureAwait(false));
            }
            else
            {
                keys.Add(entry);
            }
        }

        var downloads = state.StagingPrefix is { Length: > 0 } root ? Staging.DownloadsPrefix(root) : null;
        var doomed = keys.Distinct(StringComparer.Ordinal)
            .Where(key => downloads is null || !key.StartsWith(downloads, StringComparison.Ordinal))
            .Where(key => state.Downloads.All(d => d.Key != key))
            .ToList();
        if (doomed.Count > 0)
        {
            await retry.RunAsync("DeleteObjects", token => aws.Objects.DeleteAsync(bucket, doomed, token), cancellationToken).ConfigureAwait(false);
        }

        return doomed;
    }
}
