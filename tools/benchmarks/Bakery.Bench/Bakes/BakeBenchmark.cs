using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Local.StandIn;
using Bakery.Local.StepFunctions;

namespace Bakery.Bench.Bakes;

/// <summary>
/// Whole bakes of the seed example on the local stand-in (moto + the local Lambda service running the AOT bootstrap +
/// aws-local-stepfunctions with Wait states shortened to 10 ms), the way <c>bakery build</c> runs them locally.
/// </summary>
internal sealed class BakeBenchmark(LocalStandIn standIn, string repositoryRoot, Action<string> log) : IDisposable
{
    private const string SeedFolder = "examples/nginx";
    private const string SeedBuildFile = "my_test_build.json";

    private readonly AmazonS3Client _s3 = LocalStandIn.S3(standIn.Description.AwsEndpoint, standIn.Description.Region);
    private readonly AmazonEC2Client _ec2 = new(
        new BasicAWSCredentials("testing", "testing"),
        new AmazonEC2Config { ServiceURL = standIn.Description.AwsEndpoint, AuthenticationRegion = standIn.Description.Region });

    private string Bucket => standIn.Description.Bucket;

    /// <summary>The seed example exactly as written, once.</summary>
    public async Task<BakeRun> RunSeedAsync(CancellationToken cancellationToken)
    {
        var key = await UploadAsync("builds/bench-seed/", cancellationToken).ConfigureAwait(false);
        return await BakeAsync(key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <paramref name="concurrency"/> bakes at once (<see cref="ConcurrentBakes"/>: each from its own upload of the seed,
    /// with the bake's number in ami_name, started by its own S3 Object Created event).
    /// </summary>
    public async Task<ScaleResult> RunConcurrentAsync(int concurrency, CancellationToken cancellationToken)
    {
        var run = await new ConcurrentBakes(_s3, Bucket, standIn.Description.Region, standIn.Runner)
            .RunAsync(Path.Combine(repositoryRoot, SeedFolder), SeedBuildFile, concurrency, $"bench-c{concurrency}", cancellationToken)
            .ConfigureAwait(false);
        var runs = run.Bakes.Select(ToBakeRun).ToList();
        var leaks = await CountLeaksAsync(cancellationToken).ConfigureAwait(false);
        var succeeded = runs.Where(r => r.Status == nameof(ExecutionStatus.Succeeded)).ToList();
        return new ScaleResult
        {
            Concurrency = concurrency,
            WallMs = run.WallMs,
            Succeeded = succeeded.Count,
            Failed = runs.Count - succeeded.Count,
            Errors = [.. runs.Where(r => r.Error is not null).Select(r => r.Error!).Distinct().Take(5)],
            MedianBakeMs = Stats.Median([.. runs.Select(r => r.WallMs)]),
            P90BakeMs = Stats.Percentile([.. runs.Select(r => r.WallMs)], 90),
            TotalTransitions = runs.Sum(r => r.Transitions),
            TotalTaskInvocations = runs.Sum(r => r.TaskInvocations),
            Leaks = leaks,
        };
    }

    /// <summary>Resources tagged as Bakery's that are still there: after bakes that all ended, each one is a leak.</summary>
    public async Task<Leaks> CountLeaksAsync(CancellationToken cancellationToken)
    {
        var managed = new Amazon.EC2.Model.Filter("tag:bakery:managed", ["true"]);
        var instances = await _ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [managed] }, cancellationToken).ConfigureAwait(false);
        var alive = (instances.Reservations ?? []).SelectMany(r => r.Instances ?? []).Count(i => i.State?.Name?.Value != "terminated");
        var groups = await _ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [managed] }, cancellationToken).ConfigureAwait(false);
        var staged = 0;
        string? token = null;
        do
        {
            var page = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = "staging/", ContinuationToken = token }, cancellationToken)
                .ConfigureAwait(false);
            staged += page.S3Objects?.Count ?? 0;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        return new Leaks(alive, groups.SecurityGroups?.Count ?? 0, staged);
    }

    public void Dispose()
    {
        _s3.Dispose();
        _ec2.Dispose();
    }

    private async Task<BakeRun> BakeAsync(string key, CancellationToken cancellationToken)
    {
        var input = new JsonObject { ["template"] = $"s3://{Bucket}/{key}" }.ToJsonString();
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await standIn.Runner.RunAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            return FromResult(result, clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return RunnerFailed(key, ex.GetType().Name + ": " + ex.Message, clock.Elapsed.TotalMilliseconds);
        }
    }

    private BakeRun ToBakeRun(ConcurrentBake bake) =>
        bake.Result is { } result ? FromResult(result, bake.WallMs) : RunnerFailed(bake.Key, bake.RunnerError ?? "no result", bake.WallMs);

    private BakeRun RunnerFailed(string key, string error, double wallMs)
    {
        log($"  bake of {key} did not run: {error}");
        return new BakeRun { Status = "RunnerError", Error = error, WallMs = wallMs, Transitions = 0, TaskInvocations = 0, Retries = 0, Timeline = [] };
    }

    private static BakeRun FromResult(StateMachineRunResult result, double wallMs) => new()
    {
        Status = result.Status.ToString(),
        Error = result.Error is null ? null : $"{result.Error}: {result.Cause}",
        WallMs = wallMs,
        Transitions = result.Stats.Transitions,
        TaskInvocations = result.Stats.TaskInvocations,
        Retries = result.Stats.Retries,
        Timeline = Timeline(result.Events),
    };

    private static List<TimelineEntry> Timeline(IReadOnlyList<StateMachineEvent> events)
    {
        var origin = events.Count == 0 ? DateTimeOffset.MinValue : events[0].Timestamp;
        var open = new Dictionary<(string, int?), (StateMachineEvent Entered, int Order)>();
        var entries = new List<(int Order, TimelineEntry Entry)>();
        var order = 0;
        foreach (var evt in events)
        {
            if (evt.StateName is not { } name)
            {
                continue;
            }

            if (evt.Type == "StateEntered")
            {
                open[(name, evt.Index)] = (evt, order++);
            }
            else if (evt.Type is "StateExited" or "StateFailed" && open.Remove((name, evt.Index), out var entered))
            {
                entries.Add((entered.Order, new TimelineEntry(
                    name, entered.Entered.StateType, evt.Index,
                    (entered.Entered.Timestamp - origin).TotalMilliseconds, (evt.Timestamp - origin).TotalMilliseconds)));
            }
        }

        return [.. entries.OrderBy(e => e.Order).Select(e => e.Entry)];
    }

    private async Task<string> UploadAsync(string prefix, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(repositoryRoot, SeedFolder)))
        {
            await _s3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = prefix + Path.GetFileName(file), FilePath = file }, cancellationToken)
                .ConfigureAwait(false);
        }

        return prefix + SeedBuildFile;
    }
}
