using System.Security.Cryptography;
using System.Text;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.BuildFiles;
using Bakery.Core.Ledger;
using Bakery.Core.Manifests;
using Bakery.Core.Resume;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// The last step: writes the Packer manifest of every finished build beside the build file in S3 (appending to an
/// existing manifest as Packer does) and closes the build's ledger record with the AMIs it made — or with the
/// first failure when a build of the file did not produce an image (listing the images the other builders made). Safe
/// to run twice: a manifest entry is not added again for the same run. Called again by the workflow's Catch when it
/// failed for good (the state then holds <c>results</c> and its <c>error</c>): it only records that failure.
/// </summary>
public sealed class PublishStep : IBakeStep
{
    private readonly IAwsServices aws;
    private readonly IBuildLedger ledger;
    private readonly TimeProvider timeProvider;
    private readonly AwsRetry retry;
    private readonly BuildEvents events;

    /// <param name="eventBus">The EventBridge bus for build events (template.yaml's EventBusName); null: the default bus.</param>
    public PublishStep(IAwsServices aws, IBuildLedger ledger, AwsRetry retry, TimeProvider timeProvider, string? eventBus = null)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(retry);
        this.aws = aws;
        this.ledger = ledger;
        this.timeProvider = timeProvider;
        this.retry = retry;
        events = new BuildEvents(aws, retry, eventBus);
    }

    public string Name => StepNames.Publish;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var started = timeProvider.GetUtcNow();
        var results = state.Results ?? (state.Build is not null ? [state] : []);
        var succeeded = results.Where(result => result.Error is null && result.Image is not null && result.Build is not null).ToList();
        if (state.Results is not null && state.Error is { } publishError)
        {
            // The workflow's Catch on Publish: Publish failed for good (its error is at $.error beside the results).
            // Record the failure, unless the failed attempt got as far as closing the record itself (its answer was
            // lost), and name the images the finished builders made so the janitor keeps them.
            var cause = $"Publish failed: {publishError.Error}: {publishError.Cause}";
            await ledger.TryFailAsync(state.BuildId, publishError.Error ?? "PublishFailed", cause, [.. succeeded.SelectMany(ImagesOf)], cancellationToken)
                .ConfigureAwait(false);
            await events.PutAsync(Detail(state, results, "Failed", [], publishError.Error ?? "PublishFailed", cause), cancellationToken).ConfigureAwait(false);
            return state;
        }

        var runUuid = RunUuid(state.BuildId);

        var manifests = new Dictionary<string, List<PackerManifestBuild>>(StringComparer.Ordinal);
        foreach (var result in succeeded)
        {
            var source = result.Source ?? state.Source;
            if (source is null)
            {
                continue;
            }

            var builder = result.Build!.Builder;
            foreach (var manifest in result.Build.PostProcessors.Where(pp =>
                         (pp.Only.Count == 0 || pp.Only.Contains(builder.Name)) && !pp.Except.Contains(builder.Name)))
            {
                var key = ManifestKey(source, manifest.Output);
                if (!manifests.TryGetValue(key, out var entries))
                {
                    manifests[key] = entries = [];
                }

                entries.Add(PackerManifestWriter.CreateEntry(ArtifactOf(result, started), ManifestCustomData.RenderedFor(manifest, result), runUuid));
            }
        }

        var bucket = (state.Source ?? succeeded.FirstOrDefault()?.Source)?.Bucket;
        foreach (var (key, entries) in manifests)
        {
            await WriteManifestAsync(bucket!, key, entries, runUuid, cancellationToken).ConfigureAwait(false);
        }

        var failed = results.FirstOrDefault(result => result.Error is not null || result.Image is null);
        if (failed is not null || results.Count == 0)
        {
            var name = failed?.Error?.Error ?? nameof(ImageFailed);
            var cause = failed?.Error?.Cause
                ?? (failed?.Build is { } plan ? $"builder '{plan.Builder.Name}' finished without an image" : "no build produced an image");
            // The builders that did finish keep their images (as Packer does): the record lists them as results, with any
            // image a failed test kept (test_image.on_failure: tag), marked failed.
            var kept = results.Where(result => result.Test is { Passed: false, OnFailure: TestFailureActions.Tag } && result.Image is not null && result.Build is not null);
            await ledger.FailAsync(state.BuildId, name, cause, [.. succeeded.SelectMany(ImagesOf), .. kept.SelectMany(ImagesOf)], cancellationToken).ConfigureAwait(false);
            // The images Teardown kept for a resume, with every builder's resume point; the janitor honours the hold.
            if (ResumePoints.ForFailedBuild(results, timeProvider.GetUtcNow(), ResumePoints.DefaultHold) is { } hold)
            {
                await ledger.HoldForResumeAsync(state.BuildId, hold, cancellationToken).ConfigureAwait(false);
            }
            await events.PutAsync(Detail(state, results, "Failed", [.. manifests.Keys.Select(key => $"s3://{bucket}/{key}")], name, cause), cancellationToken)
                .ConfigureAwait(false);
        }
        else
        {
            await ledger.CompleteAsync(state.BuildId, [.. succeeded.SelectMany(ImagesOf)], [.. succeeded.SelectMany(AttemptsOf)], cancellationToken)
                .ConfigureAwait(false);
            await events.PutAsync(Detail(state, results, "Succeeded", [.. manifests.Keys.Select(key => $"s3://{bucket}/{key}")], null, null), cancellationToken)
                .ConfigureAwait(false);
        }

        return state;
    }

    /// <summary>The build event's detail: the build, each builder's AMIs by region (image and copies) or error.</summary>
    private static BuildEventDetail Detail(BakeState state, IReadOnlyList<BakeState> results, string status, IReadOnlyList<string> manifests, string? error, string? cause) => new()
    {
        BuildId = state.BuildId,
        Status = status,
        BuildFile = (state.Source ?? results.FirstOrDefault()?.Source) is { } source ? $"s3://{source.Bucket}/{source.Key}" : null,
        Builds = [.. results.Where(result => result.Build is not null).Select(result => new BuildEventBuild
        {
            Name = result.Build!.Builder.Name,
            Amis = result.Image is null
                ? new Dictionary<string, string>()
                : new[] { result.Image }.Concat(result.Copies).GroupBy(image => image.Region, StringComparer.Ordinal)
                    .ToDictionary(group => group.Key, group => group.First().ImageId, StringComparer.Ordinal),
            Error = result.Error?.Error,
        })],
        Manifests = manifests,
        Error = error,
        Cause = cause,
    };

    /// <summary>The manifest's key: the build file's folder joined with the manifest's <c>output</c>.</summary>
    public static string ManifestKey(BuildSource source, string output)
    {
        ArgumentNullException.ThrowIfNull(source);
        var folder = Prepare.BuildFileSource.FolderOf(source.Key);
        return folder + (BundlePath.Combine("/", output) is { Length: > 0 } inside ? inside : "packer-manifest.json");
    }

    /// <summary>Packer's <c>packer_run_uuid</c> for a build: derived from the build id, the same for every builder of the run.</summary>
    public static string RunUuid(string buildId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(buildId));
        return new Guid(hash.AsSpan(0, 16)).ToString("D");
    }

    private static ManifestArtifact ArtifactOf(BakeState result, DateTimeOffset fallbackTime)
    {
        var amis = new Dictionary<string, string>(StringComparer.Ordinal) { [result.Image!.Region] = result.Image.ImageId };
        foreach (var copy in result.Copies)
        {
            amis[copy.Region] = copy.ImageId;
        }

        return new ManifestArtifact
        {
            BuildName = result.Build!.Builder.Name,
            BuilderType = result.Build.Builder.Type,
            FinishedAt = result.Timings.Count > 0 ? result.Timings.Max(t => t.Ended) : fallbackTime,
            Amis = amis,
        };
    }

    private static IEnumerable<BuiltImage> ImagesOf(BakeState result) =>
        new[] { result.Image! }.Concat(result.Copies).Select(image => new BuiltImage(result.Build!.Builder.Name, image.Region, image.ImageId)
        {
            Tested = result.Test?.Passed is { } passed ? (passed ? "passed" : "failed") : null,
        });

    /// <summary>The builder's RunInstances attempts (capacity fallback), as Launch recorded them.</summary>
    private static IEnumerable<LedgerLaunchAttempt> AttemptsOf(BakeState result) =>
        result.LaunchAttempts.Select(attempt => new LedgerLaunchAttempt(result.Build!.Builder.Name, attempt.InstanceType, attempt.Market, attempt.InstanceId, attempt.Error));

    private async Task WriteManifestAsync(string bucket, string key, IReadOnlyList<PackerManifestBuild> entries, string runUuid, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        var existing = await retry.RunAsync("S3 GetObject (manifest)", token => objects.GetAsync(bucket, key, token), cancellationToken)
            .ConfigureAwait(false);
        var manifest = PackerManifestWriter.Append(existing is null ? null : PackerManifestWriter.Parse(existing.Content.Span), entries, runUuid);
        var content = PackerManifestWriter.Serialize(manifest);
        await retry.RunAsync("S3 PutObject (manifest)", token => objects.PutAsync(bucket, key, content, "application/json", token), cancellationToken)
            .ConfigureAwait(false);
    }
}
