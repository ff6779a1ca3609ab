using System.Text.Json;

namespace Bakery.Local.StepFunctions;

/// <summary>The end of one local execution: status, output or error/cause, counts, and every event in order.</summary>
public sealed record StateMachineRunResult
{
    public required ExecutionStatus Status { get; init; }
    public JsonElement? Output { get; init; }
    public string? Error { get; init; }
    public string? Cause { get; init; }
    public required ExecutionStats Stats { get; init; }
    public required IReadOnlyList<StateMachineEvent> Events { get; init; }
}
