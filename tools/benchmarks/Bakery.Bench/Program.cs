using System.Globalization;
using System.Text.Json;
using Bakery.Bench;
using Bakery.Bench.Bakes;
using Bakery.Bench.Charts;
using Bakery.Bench.ColdStart;
using Bakery.Local.StandIn;

// Benchmarks of issue 8 on the local stand-in; every figure also lands as JSON in the results folder.
var options = BenchOptions.Parse(args);
Directory.CreateDirectory(options.ResultsFolder);
Directory.CreateDirectory(options.ChartsFolder);
var json = new JsonSerializerOptions { WriteIndented = true };
var stamp = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
void Log(string line) => Console.WriteLine(line);
string Machine() => string.Create(CultureInfo.InvariantCulture, $"{stamp}, {Bakery.Bench.Machine.Cores} cores, load average {Bakery.Bench.Machine.LoadAverage():F1}");
async Task Save(string name, object value) =>
    await File.WriteAllTextAsync(Path.Combine(options.ResultsFolder, name), JsonSerializer.Serialize(value, json));

Log($"== stand-in ({Machine()})");
await using var standIn = await LocalStandIn.StartAsync(new LocalStandInOptions
{
    RepositoryRoot = options.RepositoryRoot,
    MotoOwnerProcessId = Environment.ProcessId,
    Progress = Log,
    ResourcePrefix = "bakery-bench",
    // The benchmark measures the workflow (50 bakes at once): 50 real apt installs of nginx would measure the mirror.
    RunInstances = false,
    // The figures in docs/benchmarks.md were taken with 10 ms waits; with moto every check is answered at once, so the
    // wait is pure latency here.
    WaitOverride = TimeSpan.FromMilliseconds(10),
    LogDirectory = Path.Combine(options.RepositoryRoot, ".bakery", "bench", "logs"),
}, CancellationToken.None);
var description = standIn.Description;

if (!options.SkipColdStart)
{
    var environment = new Dictionary<string, string>(LocalStandIn.AwsEnvironment(description.AwsEndpoint, description.Region))
    {
        ["BAKERY_BUCKET"] = description.Bucket,
        ["BAKERY_LEDGER_TABLE"] = description.LedgerTable,
        ["BAKERY_INSTANCE_PROFILE"] = description.InstanceProfile,
    };
    var variants = new List<ColdStartVariant>();
    if (options.AotBootstrap is { } aot)
    {
        variants.Add(new ColdStartVariant("AOT", aot, [], new FileInfo(aot).Length, "the stripped bootstrap file"));
    }

    if (options.JitBootstrapDll is { } jit)
    {
        var folder = Path.GetDirectoryName(jit)!;
        var size = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        variants.Add(new ColdStartVariant("JIT", "dotnet", [jit], size, "the build output folder, plus the shared .NET runtime it needs"));
    }

    var coldStart = new ColdStartBenchmark(environment, description.Bucket, Log);
    var results = new List<ColdStartResult>();
    foreach (var variant in variants)
    {
        // One unmeasured run first: the page cache, not the code, would otherwise decide the first figure.
        await coldStart.RunAsync(variant, 1, CancellationToken.None);
        var result = await coldStart.RunAsync(variant, options.ColdRuns, CancellationToken.None);
        results.Add(result);
        Log(string.Create(CultureInfo.InvariantCulture,
            $"{variant.Name}: median {result.MedianMs:F0} ms, p90 {result.P90Ms:F0} ms, peak RSS median {result.MedianPeakRssMb:F1} MB (max {result.MaxPeakRssMb:F1}), {result.SizeBytes / 1048576.0:F1} MB, {result.Failures} failures"));
    }

    await Save("coldstart.json", new { machine = Machine(), runs = options.ColdRuns, results });
    if (results.Count > 0)
    {
        await File.WriteAllTextAsync(Path.Combine(options.ChartsFolder, "coldstart.svg"),
            SvgCharts.ColdStart(results, $"{options.ColdRuns} runs each, handler Teardown against moto; {Machine()}"));
    }
}

if (!options.SkipBakes)
{
    using var bakes = new BakeBenchmark(standIn, options.RepositoryRoot, Log);
    // The first bake starts every function's environment (cold); the measured one runs on warm environments, as a
    // steady stream of builds does on Lambda.
    var cold = await bakes.RunSeedAsync(CancellationToken.None);
    Log(string.Create(CultureInfo.InvariantCulture, $"seed bake (cold environments): {cold.Status} {cold.WallMs / 1000:F2} s, {cold.Transitions} transitions, {cold.TaskInvocations} invocations"));
    var seed = await bakes.RunSeedAsync(CancellationToken.None);
    Log(string.Create(CultureInfo.InvariantCulture, $"seed bake (warm): {seed.Status} {seed.WallMs / 1000:F2} s, {seed.Transitions} transitions, {seed.TaskInvocations} invocations, {seed.Retries} retries {seed.Error}"));
    await Save("bake-seed.json", new { machine = Machine(), cold, warm = seed });
    await File.WriteAllTextAsync(Path.Combine(options.ChartsFolder, "bake-timeline.svg"),
        SvgCharts.Timeline(seed, $"warm environments, Wait states shortened to 10 ms; {Machine()}"));

    var scale = new List<ScaleResult>();
    foreach (var level in options.Levels)
    {
        var result = await bakes.RunConcurrentAsync(level, CancellationToken.None);
        scale.Add(result);
        Log(string.Create(CultureInfo.InvariantCulture,
            $"{level} concurrent: wall {result.WallMs / 1000:F1} s, {result.Succeeded} ok / {result.Failed} failed, {result.BakesPerMinute:F1} bakes/min, median bake {result.MedianBakeMs / 1000:F1} s, leaks {result.Leaks} ({Machine()})"));
        foreach (var error in result.Errors)
        {
            Log("  error: " + error);
        }

        await Save("scale.json", new { machine = Machine(), levels = scale });
    }
}
