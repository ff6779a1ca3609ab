using System.Diagnostics;
using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.Core.Serialization;

namespace Bakery.Bench.ColdStart;

/// <summary>
/// Cold start of one function: a fresh process per run, from <see cref="Process.Start()"/> to the first
/// <c>/response</c> POST on a <see cref="FakeRuntimeApi"/>. The handler is Teardown on a state with nothing to remove
/// but a staging prefix to list: its first invocation builds the AWS clients and makes real calls (the ledger's
/// DynamoDB update, an S3 list) against the stand-in, as a cold Lambda does.
/// </summary>
internal sealed class ColdStartBenchmark(IReadOnlyDictionary<string, string> environment, string bucket, Action<string> log)
{
    public async Task<ColdStartResult> RunAsync(ColdStartVariant variant, int runs, CancellationToken cancellationToken)
    {
        var state = new BakeState
        {
            BuildId = "bench-coldstart",
            Source = new BuildSource { Bucket = bucket, Key = "builds/bench/none.json", Prefix = "builds/bench/" },
            StagingPrefix = "staging/bench-coldstart/",
        };
        await using var api = await FakeRuntimeApi.StartAsync(JsonSerializer.SerializeToUtf8Bytes(state, BakeryJsonContext.Default.BakeState)).ConfigureAwait(false);
        var times = new List<double>();
        var rss = new List<long>();
        var failures = 0;
        for (var run = 0; run < runs; run++)
        {
            var outcome = await RunOnceAsync(variant, api, cancellationToken).ConfigureAwait(false);
            if (outcome is { Succeeded: true })
            {
                times.Add(outcome.Elapsed.TotalMilliseconds);
                if (outcome.PeakRssKilobytes is { } kb)
                {
                    rss.Add(kb);
                }
            }
            else
            {
                failures++;
                log($"  {variant.Name} run {run + 1} failed: {outcome?.Path} {Truncate(outcome?.Body)}");
            }
        }

        return new ColdStartResult
        {
            Variant = variant.Name,
            StartToResponseMs = times,
            PeakRssKb = rss,
            Failures = failures,
            SizeBytes = variant.SizeBytes,
            SizeNote = variant.SizeNote,
        };
    }

    private async Task<RuntimeOutcome?> RunOnceAsync(ColdStartVariant variant, FakeRuntimeApi api, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(variant.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in variant.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        start.Environment["_HANDLER"] = "Teardown";
        start.Environment["AWS_LAMBDA_LOG_LEVEL"] = "WARN";

        var clock = new Stopwatch();
        var outcome = api.Expect(clock);
        clock.Start();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {variant.FileName}");
        api.Watch(process.Id);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var first = await Task.WhenAny(outcome, exited, Task.Delay(Timeout.Infinite, timeout.Token)).ConfigureAwait(false);
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return first == outcome ? await outcome.ConfigureAwait(false) : null;
    }

    private static string Truncate(string? text) => text is null ? "(no call: exited or timed out)" : text.Length > 300 ? text[..300] : text;
}
