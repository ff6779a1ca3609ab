namespace Bakery.Bench.Bakes;

/// <summary>One bake: how it ended and what it cost in the units AWS bills.</summary>
internal sealed record BakeRun
{
    public required string Status { get; init; }
    public string? Error { get; init; }
    public required double WallMs { get; init; }
    public required int Transitions { get; init; }
    public required int TaskInvocations { get; init; }
    public required int Retries { get; init; }
    public required IReadOnlyList<TimelineEntry> Timeline { get; init; }
}
