namespace Bakery.Bench.Bakes;

/// <summary>N bakes started together: wall time of the slowest, throughput, failures, and what was left behind.</summary>
internal sealed record ScaleResult
{
    public required int Concurrency { get; init; }
    public required double WallMs { get; init; }
    public required int Succeeded { get; init; }
    public required int Failed { get; init; }
    public required IReadOnlyList<string> Errors { get; init; }
    public required double MedianBakeMs { get; init; }
    public required double P90BakeMs { get; init; }
    public required double TotalTransitions { get; init; }
    public required double TotalTaskInvocations { get; init; }
    public required Leaks Leaks { get; init; }
    public double BakesPerMinute => Succeeded / (WallMs / 60_000);
}
