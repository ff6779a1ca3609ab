using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Lifecycle;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// <c>lifecycle</c>: after Publish, in every region each new AMI landed in, joins it to its family (tag
/// <c>bakery:family</c>), schedules its deprecation, turns on its deregistration protection, and deregisters (with
/// its snapshots), deprecates or disables the family's images past the newest <c>keep</c> — never one an instance or a
/// launch template still needs, which it names instead. <c>dry_run</c> lists all that and changes nothing but the tag.
/// </summary>
/// <remarks>
/// The build is finished when this runs: its AMIs exist, the manifest and the ledger say so. So a refusal here never
/// fails or undoes the build: each call's error becomes a <see cref="LifecycleOutcomeKind.Failed"/> line of the report
/// (the state's <c>lifecycleReport</c>), the other images and regions go on, and the next bake tries again. Only
/// images carrying <c>bakery:managed=true</c> and the family's tag are ever touched (and IAM allows no other).
/// </remarks>
public sealed class LifecycleStep(IAwsServices aws, AwsRetry retry, TimeProvider time) : IBakeStep
{
    public string Name => StepNames.Lifecycle;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var results = state.Results ?? (state.Build is not null ? [state] : []);
        var finished = results.Where(result => result.Error is null && result.Image is not null && result.Build is not null
                                               && result.Settings?.Lifecycle is not null).ToList();
        var newImages = finished.SelectMany(result => (IEnumerable<ImageInfo>)[result.Image!, .. result.Copies])
            .Select(image => image.ImageId).ToHashSet(StringComparer.Ordinal);
        var report = new List<LifecycleOutcome>();
        foreach (var result in finished)
        {
            var lifecycle = result.Settings!.Lifecycle!;
            var family = LifecycleFamilies.Render(lifecycle.Family, (result.Source ?? state.Source)?.Key ?? "", result.Build!.Builder.Name);
            foreach (var image in (IEnumerable<ImageInfo>)[result.Image!, .. result.Copies])
            {
                var region = new RegionRun(aws.ImageLifecycle(image.Region), retry, image.Region, family, lifecycle, time.GetUtcNow(), cancellationToken);
                await region.RunAsync(image.ImageId, newImages).ConfigureAwait(false);
                report.AddRange(region.Report);
            }
        }

        return state with { LifecycleReport = report };
    }

    /// <summary>One family in one region: the calls and the report lines they make.</summary>
    private sealed class RegionRun(
        IImageLifecycle ec2, AwsRetry retry, string region, string family, LifecycleSettings lifecycle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        public List<LifecycleOutcome> Report { get; } = [];

        public async Task RunAsync(string newImageId, IReadOnlyCollection<string> newImages)
        {
            // The tag is how the next bake finds this image; it removes nothing, so a dry run sets it too.
            var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [LifecycleFamilies.Tag] = family };
            if (!await TryAsync(newImageId, null, "CreateTags", token => ec2.TagAsync(newImageId, tags, token)).ConfigureAwait(false))
            {
                return;
            }

            if (DeprecationOfNew() is { } at)
            {
                await ActAsync(newImageId, null, LifecycleOutcomeKind.DeprecationScheduled, $"at {at:yyyy-MM-ddTHH:mm:ssZ}",
                    "EnableImageDeprecation", token => ec2.DeprecateAsync(newImageId, at, token)).ConfigureAwait(false);
            }

            if (lifecycle.ProtectNewest)
            {
                await ActAsync(newImageId, null, LifecycleOutcomeKind.Protected, null,
                    "EnableImageDeregistrationProtection", token => ec2.SetDeregistrationProtectionAsync(newImageId, true, token)).ConfigureAwait(false);
            }

            if (lifecycle.Keep is not { } keep && !lifecycle.ProtectNewest)
            {
                return;
            }

            var members = new Dictionary<string, string>(StringComparer.Ordinal) { [StepStates.ManagedTag] = "true", [LifecycleFamilies.Tag] = family };
            IReadOnlyList<ImageDescription> listed = [];
            if (!await TryAsync(newImageId, null, "DescribeImages", async token => listed = await ec2.FindTaggedAsync(members, token).ConfigureAwait(false))
                    .ConfigureAwait(false))
            {
                return;
            }

            var unprotected = new HashSet<string>(StringComparer.Ordinal);
            if (lifecycle.ProtectNewest)
            {
                // protect_newest moves the protection: the family's older images lose theirs, so retention may act on them.
                foreach (var older in listed.Where(image => !newImages.Contains(image.ImageId) && FamilyRetention.IsProtected(image)))
                {
                    if (await ActAsync(older.ImageId, older.Name, LifecycleOutcomeKind.Unprotected, "protect_newest keeps the protection on the newest only",
                            "DisableImageDeregistrationProtection", token => ec2.SetDeregistrationProtectionAsync(older.ImageId, false, token)).ConfigureAwait(false))
                    {
                        unprotected.Add(older.ImageId);
                    }
                }
            }

            if (lifecycle.Keep is not { } count)
            {
                return;
            }

            var plan = FamilyRetention.Plan(listed, newImages, count, lifecycle.Action, now);
            foreach (var image in plan.Kept)
            {
                Report.Add(Line(image.ImageId, image.Name, LifecycleOutcomeKind.Kept, $"one of the newest {count}"));
            }

            if (plan.Retired.Count == 0)
            {
                return;
            }

            IReadOnlyList<ImageUse> uses = [];
            var candidates = plan.Retired.Select(image => image.ImageId).ToList();
            if (!await TryAsync(candidates[0], null, "DescribeInstances/DescribeLaunchTemplateVersions",
                    async token => uses = await ec2.FindUsesAsync(candidates, token).ConfigureAwait(false)).ConfigureAwait(false))
            {
                // Without knowing what uses them, nothing may go.
                return;
            }

            var exempt = FamilyRetention.Exemptions(plan.Retired, uses, lifecycle.Action, unprotected);
            foreach (var image in plan.Retired)
            {
                if (exempt.TryGetValue(image.ImageId, out var why))
                {
                    Report.Add(Line(image.ImageId, image.Name, why.Kind, why.Why));
                    continue;
                }

                await RetireAsync(image).ConfigureAwait(false);
            }
        }

        private DateTimeOffset? DeprecationOfNew() =>
            lifecycle.DeprecateAt ?? (lifecycle.DeprecateAfterDays is { } days ? now.AddDays(days) : null);

        private async Task RetireAsync(ImageDescription image)
        {
            switch (lifecycle.Action)
            {
                case LifecycleAction.Deprecate:
                    var at = FamilyRetention.DeprecateNow(now);
                    await ActAsync(image.ImageId, image.Name, lifecycle.DryRun ? LifecycleOutcomeKind.WouldDeprecate : LifecycleOutcomeKind.Deprecated,
                        $"at {at:yyyy-MM-ddTHH:mm:ssZ}", "EnableImageDeprecation", token => ec2.DeprecateAsync(image.ImageId, at, token)).ConfigureAwait(false);
                    break;
                case LifecycleAction.Disable:
                    await ActAsync(image.ImageId, image.Name, lifecycle.DryRun ? LifecycleOutcomeKind.WouldDisable : LifecycleOutcomeKind.Disabled,
                        null, "DisableImage", token => ec2.DisableAsync(image.ImageId, token)).ConfigureAwait(false);
                    break;
                default:
                    var snapshots = image.SnapshotIds.Count == 0 ? null : $"with snapshots {string.Join(", ", image.SnapshotIds)}";
                    var kind = lifecycle.DryRun ? LifecycleOutcomeKind.WouldDeregister : LifecycleOutcomeKind.Deregistered;
                    if (!await ActAsync(image.ImageId, image.Name, kind, snapshots, "DeregisterImage", token => ec2.DeregisterAsync(image.ImageId, token))
                            .ConfigureAwait(false) || lifecycle.DryRun)
                    {
                        return;
                    }

                    foreach (var snapshot in image.SnapshotIds)
                    {
                        await TryAsync(image.ImageId, image.Name, $"DeleteSnapshot {snapshot}", token => ec2.DeleteSnapshotAsync(snapshot, token)).ConfigureAwait(false);
                    }

                    break;
            }
        }

        /// <summary>Makes the call (not on a dry run) and reports <paramref name="kind"/>, or the failure.</summary>
        private async Task<bool> ActAsync(string imageId, string? name, LifecycleOutcomeKind kind, string? detail, string operation, Func<CancellationToken, Task> call)
        {
            if (!lifecycle.DryRun && !await TryAsync(imageId, name, operation, call).ConfigureAwait(false))
            {
                return false;
            }

            var dry = lifecycle.DryRun && kind is not (LifecycleOutcomeKind.WouldDeprecate or LifecycleOutcomeKind.WouldDisable or LifecycleOutcomeKind.WouldDeregister);
            Report.Add(Line(imageId, name, kind, dry ? $"dry run, not done{(detail is null ? "" : $": {detail}")}" : detail));
            return true;
        }

        private async Task<bool> TryAsync(string imageId, string? name, string operation, Func<CancellationToken, Task> call)
        {
            try
            {
                await retry.RunAsync(operation, call, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                Report.Add(Line(imageId, name, LifecycleOutcomeKind.Failed, $"{operation}: {error.Message}"));
                return false;
            }
        }

        private LifecycleOutcome Line(string imageId, string? name, LifecycleOutcomeKind kind, string? detail) =>
            new(region, imageId, kind) { Family = family, ImageName = name, Detail = detail };
    }
}
