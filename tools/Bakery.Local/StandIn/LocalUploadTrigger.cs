using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Local.StandIn.Internal;
using Bakery.Local.StepFunctions;

namespace Bakery.Local.StandIn;

/// <summary>
/// The stand-in's EventBridge rule: while it runs, every new version of an object under <c>builds/</c> ending in
/// <c>.json</c> in the stand-in's bucket starts an execution of the definition with the event S3 sends through
/// EventBridge. It polls ListObjectVersions (moto has no EventBridge delivery); objects that were there when it started
/// never trigger. An upload carrying <see cref="SkipMetadataKey"/> is left alone: <c>bakery build</c> runs that one
/// itself to stream its events.
/// </summary>
public sealed class LocalUploadTrigger : IAsyncDisposable
{
    public const string Prefix = "builds/";

    /// <summary>User metadata (<c>x-amz-meta-bakery-local-trigger: off</c>) that keeps an upload from triggering here.</summary>
    public const string SkipMetadataKey = "bakery-local-trigger";

    private readonly StandInDescription _standIn;
    private readonly StateMachineRunner _runner;
    private readonly IAmazonS3 _s3;
    private PollingTrigger<S3ObjectVersion>? _polling;

    private LocalUploadTrigger(StandInDescription standIn, StateMachineRunner runner)
    {
        _standIn = standIn;
        _runner = runner;
        _s3 = LocalStandIn.S3(standIn.AwsEndpoint, standIn.Region);
    }

    /// <summary>How many executions this trigger started.</summary>
    public int Started => _polling?.Started ?? 0;

    /// <summary>Starts watching <paramref name="standIn"/>'s bucket; what is in it now never triggers.</summary>
    public static async Task<LocalUploadTrigger> StartAsync(
        StandInDescription standIn, StateMachineRunner runner, Action<string>? log = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        ArgumentNullException.ThrowIfNull(runner);
        var trigger = new LocalUploadTrigger(standIn, runner);
        var options = new PollingTriggerOptions
        {
            Listing = $"listing s3://{standIn.Bucket}/{Prefix}",
            Endpoint = standIn.AwsEndpoint,
            Log = log ?? (_ => { }),
            Interval = interval ?? TimeSpan.FromMilliseconds(500),
        };
        trigger._polling = await PollingTrigger<S3ObjectVersion>.StartAsync(
            "upload trigger", trigger.ListVersionsAsync, Id, trigger.PrepareAsync, options, cancellationToken).ConfigureAwait(false);
        return trigger;
    }

    public async ValueTask DisposeAsync()
    {
        if (_polling is not null)
        {
            await _polling.DisposeAsync().ConfigureAwait(false);
        }

        _s3.Dispose();
    }

    // The rule's patterns: detail.object.key wildcards 'builds/*.json' and 'builds/*.pkr.hcl' (Prepare itself ignores var
    // files and non-build files).
    internal static bool Triggers(S3ObjectVersion version) =>
        version.IsDeleteMarker != true && version.Key.StartsWith(Prefix, StringComparison.Ordinal)
        && (version.Key.EndsWith(".json", StringComparison.Ordinal) || version.Key.EndsWith(".pkr.hcl", StringComparison.Ordinal));

    private async Task<TriggeredRun?> PrepareAsync(S3ObjectVersion version, int number, CancellationToken stopping)
    {
        if (!Triggers(version) || await SkippedAsync(version, stopping).ConfigureAwait(false))
        {
            return null;
        }

        var time = version.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UtcNow;
        var input = ObjectCreatedEvents.Create(
            _standIn.Bucket, version.Key, version.Size ?? 0, version.ETag, NullIfEmpty(version.VersionId), ObjectCreatedEvents.Sequencer(time, number), _standIn.Region, time);
        return new TriggeredRun(
            $"execution for {version.Key} ({version.VersionId})",
            $"s3://{_standIn.Bucket}/{version.Key} (version {version.VersionId}) starts an execution",
            async cancellationToken =>
            {
                var result = await _runner.RunAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
                return $"{result.Status}{(result.Error is null ? "" : $": {result.Error}")}";
            });
    }

    private async Task<bool> SkippedAsync(S3ObjectVersion version, CancellationToken cancellationToken)
    {
        try
        {
            var head = await _s3.GetObjectMetadataAsync(
                new GetObjectMetadataRequest { BucketName = _standIn.Bucket, Key = version.Key, VersionId = NullIfEmpty(version.VersionId) },
                cancellationToken).ConfigureAwait(false);
            return string.Equals(head.Metadata[SkipMetadataKey], "off", StringComparison.OrdinalIgnoreCase);
        }
        catch (AmazonS3Exception)
        {
            // Gone again already: S3 would still have sent the event.
            return false;
        }
    }

    private async Task<IReadOnlyList<S3ObjectVersion>> ListVersionsAsync(CancellationToken cancellationToken)
    {
        var versions = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = _standIn.Bucket, Prefix = Prefix };
        while (true)
        {
            var response = await _s3.ListVersionsAsync(request, cancellationToken).ConfigureAwait(false);
            versions.AddRange(response.Versions ?? []);
            if (response.IsTruncated != true)
            {
                return versions;
            }

            request.KeyMarker = response.NextKeyMarker;
            request.VersionIdMarker = response.NextVersionIdMarker;
        }
    }

    private static string Id(S3ObjectVersion version) => version.Key + "\0" + version.VersionId;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) || value == "null" ? null : value;
}
