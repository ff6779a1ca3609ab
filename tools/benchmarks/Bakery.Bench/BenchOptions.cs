using System.Globalization;

namespace Bakery.Bench;

/// <summary>Command line of the benchmark program (see tools/benchmarks/run.sh for the usual invocation).</summary>
internal sealed record BenchOptions
{
    public required string RepositoryRoot { get; init; }
    public string? AotBootstrap { get; init; }
    public string? JitBootstrapDll { get; init; }
    public int ColdRuns { get; init; } = 20;
    public IReadOnlyList<int> Levels { get; init; } = [1, 10, 50];
    public bool SkipColdStart { get; init; }
    public bool SkipBakes { get; init; }
    public required string ResultsFolder { get; init; }
    public required string ChartsFolder { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var root = Directory.GetCurrentDirectory();
        string Next(ref int i) => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        var options = new BenchOptions { RepositoryRoot = root, ResultsFolder = Path.Combine(root, "tools/benchmarks/results"), ChartsFolder = Path.Combine(root, "docs/benchmarks") };
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--root" => options with { RepositoryRoot = Path.GetFullPath(Next(ref i)) },
                "--aot" => options with { AotBootstrap = Path.GetFullPath(Next(ref i)) },
                "--jit" => options with { JitBootstrapDll = Path.GetFullPath(Next(ref i)) },
                "--runs" => options with { ColdRuns = int.Parse(Next(ref i), CultureInfo.InvariantCulture) },
                "--levels" => options with { Levels = [.. Next(ref i).Split(',').Select(l => int.Parse(l, CultureInfo.InvariantCulture))] },
                "--results" => options with { ResultsFolder = Path.GetFullPath(Next(ref i)) },
                "--charts" => options with { ChartsFolder = Path.GetFullPath(Next(ref i)) },
                "--no-coldstart" => options with { SkipColdStart = true },
                "--no-bakes" => options with { SkipBakes = true },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return options;
    }
}
