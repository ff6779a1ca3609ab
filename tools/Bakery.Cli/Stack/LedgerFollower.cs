using Bakery.Cli.Build;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;

namespace Bakery.Cli.Stack;

/// <summary>
/// Follows one build through the ledger, the only view a client has of a build on a deployed stack: finds the record
/// an upload created, then polls it and prints each step change in Packer's shape, and at the end the artifacts or the
/// failing step with its error and cause.
/// </summary>
internal sealed class LedgerFollower(IBuildLedger ledger, BuildUi ui, Func<TimeSpan, CancellationToken, Task> delay, TimeProvider time)
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How many recent records to look through for the upload's build.</summary>
    public int SearchDepth { get; init; } = 50;

    /// <summary>
    /// The record the upload of <paramref name="key"/> (<paramref name="versionId"/>) created. Its id depends on the S3
    /// event's sequencer, which the uploader never sees, so it is found by identity (<c>s3://bucket/key?versionId=V&amp;...</c>);
    /// without a version id, by source and time.
    /// </summary>
    public async Task<BuildRecord?> FindAsync(string bucket, string key, string? versionId, DateTimeOffset uploadedAt, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var recent = await ledger.ListRecentAsync(SearchDepth, cancellationToken).ConfigureAwait(false);
            if (recent.FirstOrDefault(r => IsFrom(r, bucket, key, versionId, uploadedAt)) is { } record)
            {
                return record;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The record of build <paramref name="buildId"/>, once the stack has claimed it (a folder's build, whose id is known from its upload).</summary>
    public async Task<BuildRecord?> FindByIdAsync(string buildId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            if (await ledger.GetAsync(buildId, cancellationToken).ConfigureAwait(false) is { } record)
            {
                return record;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The record of <paramref name="before"/>'s build once a resume has claimed it again: its status or its last update
    /// changed (the ledger's own timestamps, so no clock of this machine is compared with the stack's).
    /// </summary>
    public async Task<BuildRecord?> FindReclaimedAsync(BuildRecord before, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(before);
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            if (await ledger.GetAsync(before.BuildId, cancellationToken).ConfigureAwait(false) is { } record
                && (record.Status != before.Status || record.UpdatedAt > before.UpdatedAt))
            {
                return record;
            }

            if (time.GetUtcNow() >= deadline)
            {
                return null;
            }

            await delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    internal static bool IsFrom(BuildRecord record, string bucket, string key, string? versionId, DateTimeOffset uploadedAt)
    {
        var encodedKey = Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal);
        var identity = record.Identity ?? "";
        if (versionId is not null)
        {
            return (identity.StartsWith($"s3://{bucket}/{key}?", StringComparison.Ordinal) || identity.StartsWith($"s3://{bucket}/{encodedKey}?", StringComparison.Ordinal))
                && identity.Contains($"?versionId={versionId}&", StringComparison.Ordinal);
        }

        // Allow for a clock a little ahead of the stack's.
        return record.Source is { } source
            && (source == $"s3://{bucket}/{key}" || source == $"s3://{bucket}/{encodedKey}")
            && record.CreatedAt >= uploadedAt - TimeSpan.FromSeconds(30);
    }

    /// <summary>Polls the build until it finishes, printing each step as it starts and how long it took; returns the final record.</summary>
    public async Task<BuildRecord> FollowAsync(BuildRecord first, string? target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(first);
        var record = first;
        string? step = null;
        var stepStarted = record.CreatedAt;
        while (true)
        {
            if (record.Step != step && record.Step is { } next)
            {
                if (step is not null)
                {
                    StepDone(target, step, record.UpdatedAt - stepStarted);
                }

                step = next;
                stepStarted = record.UpdatedAt;
                ui.Say(target, Describe(next));
            }

            if (record.Status is BuildStatus.Succeeded or BuildStatus.Failed)
            {
                if (step is not null && record.Status == BuildStatus.Succeeded)
                {
                    StepDone(target, step, (record.FinishedAt ?? record.UpdatedAt) - stepStarted);
                }

                return record;
            }

            await delay(PollInterval, cancellationToken).ConfigureAwait(false);
            record = await ledger.GetAsync(record.BuildId, cancellationToken).ConfigureAwait(false) ?? record;
        }
    }

    /// <summary>The end in Packer's words; returns the exit code (0 only when the build succeeded with AMIs).</summary>
    public static int Report(BuildUi ui, BuildRecord record, string? target, IReadOnlyList<string> builders, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(ui);
        ArgumentNullException.ThrowIfNull(record);
        ui.Plain("");
        ui.Say(null, $"Wait completed after {Durations.Format(elapsed)}");
        ui.Plain("");
        if (record.Status != BuildStatus.Succeeded)
        {
            ui.Error(null, "Some builds didn't complete successfully and had errors:");
            var step = record.Step is null ? "" : $"{record.Step}: ";
            ui.Error(target, $"{step}{record.ErrorName ?? "Failed"}: {BuildProgress.CauseText(record.ErrorCause)}");
            ui.Plain("");
            ui.Say(null, "Builds finished but no artifacts were created.");
            return 1;
        }

        if (record.Images.Count == 0)
        {
            ui.Say(null, "Builds finished but no artifacts were created.");
            return 1;
        }

        if (LaunchAttemptText.WorthShowing(record.LaunchAttempts))
        {
            // Capacity fallback: how each builder got its instance, as the ledger kept it.
            foreach (var attempt in record.LaunchAttempts)
            {
                ui.Message(attempt.Builder, $"Launch attempt: {LaunchAttemptText.Of(attempt)}");
            }

            ui.Plain("");
        }

        ui.Say(null, "Builds finished. The artifacts of successful builds are:");
        var byBuilder = record.Images.GroupBy(i => i.Builder, StringComparer.Ordinal)
            .OrderBy(g => builders.Contains(g.Key) ? builders.ToList().IndexOf(g.Key) : int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in byBuilder)
        {
            var amis = group.GroupBy(i => i.Region, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().ImageId, StringComparer.Ordinal);
            var id = string.Join(",", amis.Select(pair => $"{pair.Key}:{pair.Value}").Order(StringComparer.Ordinal));
            var text = "AMIs were created:\n" + string.Concat(amis.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}\n"));
            ui.Artifact(group.Key, 0, 1, id, text);
        }

        return 0;
    }

    private void StepDone(string? target, string step, TimeSpan took)
    {
        if (target is not null)
        {
            ui.Message(target, $"({step} took {Durations.Short(took < TimeSpan.Zero ? TimeSpan.Zero : took)})");
        }
    }

    /// <summary>What a step does, in Packer's words where Packer has them.</summary>
    internal static string Describe(string step) => step switch
    {
        StepNames.Prepare => "Reading the build file and checking the source AMI...",
        StepNames.Launch => "Launching a source AWS instance...",
        StepNames.WaitForInstance => "Waiting for the instance to become ready...",
        StepNames.Provision => "Provisioning (SSM Run Command)...",
        StepNames.ErrorCleanup => "Provisioning step had errors: Running the cleanup provisioner, if present...",
        StepNames.StopInstance => "Stopping the source instance...",
        StepNames.CreateImage => "Creating the AMI...",
        StepNames.TestImage => "Testing the AMI on a fresh instance...",
        StepNames.TagImage => "Adding tags to the AMI...",
        StepNames.CopyImage => "Copying the AMI to other regions...",
        StepNames.ShareImage => "Modifying attributes on the AMI...",
        StepNames.PublishParameter => "Publishing the AMI id to Parameter Store...",
        StepNames.Teardown => "Terminating the source AWS instance...",
        StepNames.Publish => "Publishing the build's results...",
        _ => $"{step}...",
    };
}
