using Bakery.Cli.Build;
using Bakery.BuildFiles.Model;

namespace Bakery.Cli.Stack;

/// <summary>
/// <c>bakery build --stack NAME</c>: uploads the bundle under <c>builds/&lt;name&gt;/</c> in the stack's bucket (the
/// build file last: its upload is the trigger, exactly as a user's <c>aws s3 cp</c> would be), then follows the build
/// through the ledger. Ctrl-C stops following, not the build.
/// </summary>
internal sealed class StackBuild(StackTarget stack, BuildUi ui)
{
    /// <summary>How long the stack may take to claim the upload before the CLI gives up waiting.</summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(BuildBundle bundle, BuildDefinition definition, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(definition);
        var builders = definition.Builds.Select(b => b.Builder.Name).ToList();
        var target = builders.Count == 1 ? builders[0] : null;
        var bucket = stack.Config.Bucket;

        // Before anything goes up: a template deleted locally must not stay in the S3 folder Prepare reads.
        foreach (var stale in await StaleFolderFiles.DeleteAsync(stack.S3, bucket, bundle, interrupt).ConfigureAwait(false))
        {
            ui.Say(null, $"Deleted s3://{bucket}/{stale}: it is no longer in the local folder, and Prepare would read it as part of the template");
        }

        ui.Say(null, $"Uploading {bundle.Files.Count} file(s) to s3://{bucket}/{bundle.Prefix} (stack {stack.Name}, {stack.Config.Region})...");
        var uploadedAt = DateTimeOffset.UtcNow;
        var upload = await BundleUploader.UploadAsync(stack.S3, bucket, bundle, interrupt).ConfigureAwait(false);
        var put = upload.Last;
        var versionId = string.IsNullOrEmpty(put.VersionId) || put.VersionId == "null" ? null : put.VersionId;
        var uploaded = bundle.FolderKey ?? bundle.BuildFileKey;
        ui.Say(null, $"Uploaded s3://{bucket}/{uploaded}{(versionId is null || bundle.FolderKey is not null ? "" : $" (version {versionId})")}; waiting for the stack to start the build...");

        var follower = new LedgerFollower(stack.Ledger, ui, (wait, token) => Task.Delay(wait, token), TimeProvider.System) { PollInterval = PollInterval };
        // A folder's uploads all claim one build whose id is known from what was uploaded; a file's id depends on the
        // S3 event's sequencer, so its record is found by identity.
        var record = bundle.FolderKey is not null
            ? await follower.FindByIdAsync(BuildTrigger.FolderBuildIdOf(bucket, bundle, upload), ClaimTimeout, interrupt).ConfigureAwait(false)
            : await follower.FindAsync(bucket, bundle.BuildFileKey, versionId, uploadedAt, ClaimTimeout, interrupt).ConfigureAwait(false);
        if (record is null)
        {
            ui.Error(null, $"No build started for s3://{bucket}/{uploaded} within {Durations.Format(ClaimTimeout)}: is the stack's upload rule enabled, and does its ledger table ({stack.Config.LedgerTable}) get written? Check the state machine's executions ({stack.Config.StateMachineArn}).");
            return 1;
        }

        ui.Say(null, $"Build {record.BuildId} started on stack {stack.Name} (follow it elsewhere: bakery status {record.BuildId} --stack {stack.Name})");
        try
        {
            var final = await follower.FollowAsync(record, target, interrupt).ConfigureAwait(false);
            var elapsed = (final.FinishedAt ?? final.UpdatedAt) - final.CreatedAt;
            return LedgerFollower.Report(ui, final, target, builders, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            ui.Error(null, $"Stopped following build {record.BuildId}; it keeps running on stack {stack.Name}. See it with: bakery status {record.BuildId} --stack {stack.Name}");
            return 1;
        }
    }
}
