namespace Bakery.Bench.Bakes;

/// <summary>One state of one execution, from StateEntered to StateExited (or StateFailed), relative to the execution start.</summary>
internal sealed record TimelineEntry(string State, string? Type, int? MapIndex, double StartMs, double EndMs);
