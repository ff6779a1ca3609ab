using System.Diagnostics;

namespace Bakery.Benchmarks;

/// <summary>
/// A plain loop that reports process CPU time and allocations per operation: on a machine shared with other builds,
/// BenchmarkDotNet's wall-clock figures mostly measure the neighbours, while the CPU this process spent does not.
/// Run: <c>dotnet run -c Release --project tests/Bakery.Benchmarks -- cpu hcl2|hcl2-parse|json [loads] [--alloc]</c>
/// (<c>--alloc</c>: also the types allocated, sampled, see <see cref="AllocationSampler"/>; it disturbs the CPU figures).
/// </summary>
internal static class CpuTimeLoop
{
    public static int Run(string[] args)
    {
        var what = args.Length > 1 ? args[1] : "hcl2";
        var loads = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 40;
        using var sampler = args.Contains("--alloc") ? new AllocationSampler() : null;
        Func<object> operation = what switch
        {
            "hcl2" => Hcl2(b => b.Validate1MBHcl2Template()),
            "hcl2-parse" => Hcl2(b => b.Parse1MBHcl2Template()),
            "json" => Json(),
            _ => throw new ArgumentException($"unknown benchmark '{what}': hcl2, hcl2-parse or json"),
        };

        // The first quarter warms up the tiered JIT (tier-1 code and PGO arrive after a few dozen calls).
        var warmUp = Math.Max(loads / 4, 5);
        for (var i = 0; i < warmUp; i++)
        {
            operation();
        }

        sampler?.Start();
        var process = Process.GetCurrentProcess();
        var cpu = new List<double>();
        var wall = new List<double>();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var gen0 = GC.CollectionCount(0);
        var gen2 = GC.CollectionCount(2);
        for (var i = 0; i < loads; i++)
        {
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var stopwatch = Stopwatch.StartNew();
            operation();
            stopwatch.Stop();
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            wall.Add(stopwatch.Elapsed.TotalMilliseconds);
        }

        var allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / (double)loads;
        cpu.Sort();
        wall.Sort();
        Console.WriteLine(FormattableString.Invariant(
            $"{what}: {loads} loads after {warmUp} warm-up; CPU median {cpu[cpu.Count / 2]:F1} ms, min {cpu[0]:F1} ms; wall median {wall[wall.Count / 2]:F1} ms, min {wall[0]:F1} ms; allocated {allocated / 1e6:F1} MB per load; gen0 {GC.CollectionCount(0) - gen0}, gen2 {GC.CollectionCount(2) - gen2}; background GC {(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? "off" : "on")}; large-object threshold {LargeObjectThreshold()} bytes"));
        foreach (var line in sampler?.Report(25) ?? [])
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    /// <summary>The GC's large-object threshold in effect (the project's runtimeconfig, or DOTNET_GCLOHThreshold): it decides how often a load meets a gen2 collection (docs/benchmarks.md 1b).</summary>
    private static object LargeObjectThreshold() =>
        GC.GetConfigurationVariables().TryGetValue("LOHThreshold", out var threshold) ? threshold : "85000 (default)";

    private static Func<object> Hcl2(Func<ValidateHcl2TemplateBenchmark, object> run)
    {
        var benchmark = new ValidateHcl2TemplateBenchmark();
        benchmark.Setup();
        return () => run(benchmark);
    }

    private static Func<object> Json()
    {
        var benchmark = new ValidateBuildFileBenchmark();
        benchmark.Setup();
        return () => benchmark.Validate1MBBuildFile();
    }
}
