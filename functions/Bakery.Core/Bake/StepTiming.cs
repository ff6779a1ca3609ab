namespace Bakery.Core.Bake;

/// <summary>One step's run: when it started and ended.</summary>
public sealed record StepTiming(string Step, DateTimeOffset Started, DateTimeOffset Ended);
