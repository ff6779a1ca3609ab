using System.Text.Json;

namespace Bakery.Local.StepFunctions;

/// <summary>
/// One line of the runner's event log (aws-local-stepfunctions' event types: <c>ExecutionStarted</c>,
/// <c>StateEntered</c>, <c>StateExited</c>, <c>StateFailed</c>, <c>StateRetried</c>, <c>StateCaught</c>,
/// <c>MapIterationStarted</c>/<c>Succeeded</c>/<c>Failed</c>, <c>ExecutionSucceeded</c>/<c>Failed</c>...).
/// <see cref="Raw"/> keeps the whole line.
/// </summary>
public sealed record StateMachineEvent
{
    public required string Type { get; init; }
    public DateTimeOffset Timestamp { get; init; }
    /// <summary>The state the event is about (null for execution and Map-iteration events).</summary>
    public string? StateName { get; init; }
    public string? StateType { get; init; }
    /// <summary>The Map iteration the event belongs to, when it comes from inside a Map.</summary>
    public int? Index { get; init; }
    /// <summary>The Map/Parallel state a nested event comes from.</summary>
    public string? ParentStateName { get; init; }
    public string? Error { get; init; }
    public string? Cause { get; init; }
    public int? RetryAttempt { get; init; }
    public JsonElement? Input { get; init; }
    public JsonElement? Output { get; init; }
    public required JsonElement Raw { get; init; }
}
