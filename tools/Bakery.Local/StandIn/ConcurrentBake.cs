using Bakery.Local.StepFunctions;

namespace Bakery.Local.StandIn;

/// <summary>One bake of a <see cref="ConcurrentBakes"/> run: the upload that started it and how its execution ended.</summary>
public sealed record ConcurrentBake
{
    public required int Index { get; init; }
    /// <summary>The build file's key.</summary>
    public required string Key { get; init; }
    /// <summary>The execution's end; null when the runner itself failed (<see cref="RunnerError"/>).</summary>
    public StateMachineRunResult? Result { get; init; }
    public string? RunnerError { get; init; }
    public required double WallMs { get; init; }

    public bool Succeeded => Result?.Status == ExecutionStatus.Succeeded;

    /// <summary>The execution's error and cause, or the runner's; null when it succeeded.</summary>
    public string? Error => RunnerError ?? (Result is { Error: { } error } ? $"{error}: {Result.Cause}" : null);
}
