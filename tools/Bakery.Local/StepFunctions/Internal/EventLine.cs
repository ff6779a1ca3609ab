using System.Text.Json;

namespace Bakery.Local.StepFunctions.Internal;

/// <summary>Reads the runner's JSON lines (see infra/local/stepfunctions/run.mjs for their shape).</summary>
internal static class EventLine
{
    public const string ResultType = "Result";

    /// <summary>run.mjs --serve's answer to an execution it cannot run (a bad or invalid definition).</summary>
    public const string RefusedType = "Refused";

    public static StateMachineEvent Parse(string line)
    {
        JsonElement root;
        using (var document = JsonDocument.Parse(line))
        {
            root = document.RootElement.Clone();
        }

        var state = Property(root, "state");
        var parent = Property(root, "parentState");
        return new StateMachineEvent
        {
            Type = String(root, "type") ?? throw new InvalidDataException($"runner line without a type: {line}"),
            Timestamp = Property(root, "timestamp") is { ValueKind: JsonValueKind.Number } ms
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms.GetInt64())
                : DateTimeOffset.UtcNow,
            StateName = state is { } s ? String(s, "name") : null,
            StateType = state is { } t ? String(t, "type") : null,
            Index = Property(root, "index") is { ValueKind: JsonValueKind.Number } index ? index.GetInt32() : null,
            ParentStateName = parent is { } p ? String(p, "name") : null,
            Error = String(root, "Error") ?? String(root, "error"),
            Cause = CauseText(Property(root, "Cause") ?? Property(root, "cause")),
            RetryAttempt = Property(root, "retry") is { } retry && Property(retry, "attempt") is { ValueKind: JsonValueKind.Number } attempt
                ? attempt.GetInt32()
                : null,
            Input = state is { } i ? Property(i, "input") : Property(root, "input"),
            Output = state is { } o ? Property(o, "output") : Property(root, "output"),
            Raw = root,
        };
    }

    public static StateMachineRunResult ToResult(StateMachineEvent result, IReadOnlyList<StateMachineEvent> events)
    {
        var stats = Property(result.Raw, "stats");
        int Count(string name) => stats is { } s && Property(s, name) is { ValueKind: JsonValueKind.Number } n ? n.GetInt32() : 0;
        return new StateMachineRunResult
        {
            Status = String(result.Raw, "status") switch
            {
                "SUCCEEDED" => ExecutionStatus.Succeeded,
                "FAILED" => ExecutionStatus.Failed,
                "TIMED_OUT" => ExecutionStatus.TimedOut,
                "ABORTED" => ExecutionStatus.Aborted,
                var other => throw new InvalidDataException($"unknown execution status '{other}'"),
            },
            Output = result.Output,
            Error = result.Error,
            Cause = result.Cause,
            Stats = new ExecutionStats(
                Count("transitions"), Count("taskInvocations"), Count("retries"), Count("mapIterations"),
                TimeSpan.FromMilliseconds(Count("durationMs"))),
            Events = events,
        };
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    private static string? String(JsonElement element, string name) =>
        Property(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    // A Lambda error's cause arrives as the function's error object; a Fail state's as a string.
    private static string? CauseText(JsonElement? cause) => cause switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } text => text.GetString(),
        { } other => other.GetRawText(),
    };
}
