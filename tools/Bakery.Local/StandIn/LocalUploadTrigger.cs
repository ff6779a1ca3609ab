using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
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
    private readonly Action<string> _log;
    private readonly TimeSpan _interval;
    private readonly IAmazonS3 _s3;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<Task> _executions = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _counter;

    private LocalUploadTrigger(StandInDescription standIn, StateMachineRunner runner, Action<string> log, TimeSpan interval)
    {
        _standIn = standIn;
        _runner = runner;
        _log = log;
        _interval = interval;
        _s3 = LocalStandIn.S3(standIn.AwsEndpoint, standIn.Region);
    }

    /// <summary>How many executions this trigger started.</summary>
    public int Started => Volatile.Read(ref _counter);

    /// <summary>Starts watching <paramref name="standIn"/>'s bucket; what is in it now never triggers.</summary>
    public static async Task<LocalUploadTrigger> StartAsync(
        StandInDescription standIn, StateMachineRunner runner, Action<string>? log = null, TimeSpan? interval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        ArgumentNullException.ThrowIfNull(runner);
        var trigger = new LocalUploadTrigger(standIn, runner, log ?? (_ => { }), interval ?? TimeSpan.FromMilliseconds(500));
        foreach (var version in await trigger.ListVersionsAsync(cancellationToken).ConfigureAwait(false))
        {
            trigger._seen.Add(Id(version));
        }

        trigger._loop = Task.Run(() => trigger.PollAsync(trigger._stopping.Token), CancellationToken.None);
        return trigger;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Task[] running;
        lock (_executions)
        {
            running = [.. _executions];
        }

        // Cancelling kills each execution's runner process; what the builds created is left as a stopped execution leaves it.
        await Task.WhenAll(running).ConfigureAwait(false);
        _s3.Dispose();
        _stopping.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_interval, stopping).ConfigureAwait(false);
                foreach (var version in await ListVersionsAsync(stopping).ConfigureAwait(false))
                {
                    if (_seen.Add(Id(version)) && Triggers(version) && !await SkippedAsync(version, stopping).ConfigureAwait(false))
                    {
                        Start(version, stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonServiceException error)
            {
                // moto restarting or the bucket gone: keep watching, say why nothing triggers meanwhile.
                _log($"upload trigger: listing s3://{_standIn.Bucket}/{Prefix} failed: {error.Message}");
            }
            catch (HttpRequestException error)
            {
                _log($"upload trigger: {_standIn.AwsEndpoint} unreachable: {error.Message}");
            }
        }
    }

    // The rule's patterns: detail.object.key wildcards 'builds/*.json' and 'builds/*.pkr.hcl' (Prepare itself ignores var
    // files and non-build files).
    internal static bool Triggers(S3ObjectVersion version) =>
        version.IsDeleteMarker != true && version.Key.StartsWith(Prefix, StringComparison.Ordinal)
        && (version.Key.EndsWith(".json", StringComparison.Ordinal) || version.Key.EndsWith(".pkr.hcl", StringComparison.Ordinal));

    private void Start(S3ObjectVersion version, CancellationToken stopping)
    {
        var time = version.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.UtcNow;
        var counter = Interlocked.Increment(ref _counter);
        var input = ObjectCreatedEvents.Create(
            _standIn.Bucket, version.Key, version.Size ?? 0, version.ETag, NullIfEmpty(version.VersionId), ObjectCreatedEvents.Sequencer(time, counter), _standIn.Region, time);
        _log($"upload trigger: s3://{_standIn.Bucket}/{version.Key} (version {version.VersionId}) starts an execution");
        var execution = Task.Run(async () =>
        {
            try
            {
                var result = await _runner.RunAsync(input, cancellationToken: stopping).ConfigureAwait(false);
                _log($"upload trigger: execution for {version.Key} ({version.VersionId}) ended {result.Status}{(result.Error is null ? "" : $": {result.Error}")}");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                _log($"upload trigger: execution for {version.Key} ({version.VersionId}) stopped (stand-in going down)");
            }
            catch (InvalidOperationException error)
            {
                _log($"upload trigger: execution for {version.Key} ({version.VersionId}) could not run: {error.Message}");
            }
        }, CancellationToken.None);
        lock (_executions)
        {
            _executions.RemoveAll(t => t.IsCompleted);
            _executions.Add(execution);
        }
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

    private async Task<List<S3ObjectVersion>> ListVersionsAsync(CancellationToken cancellationToken)
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
