using System.Text.Json.Serialization;

namespace Bakery.Integration.Tests.StandIn;

// StartExecution's wire shapes as a client sends them (Step Functions API reference), for starting executions on moto.

internal sealed record ExecutionStart
{
    [JsonPropertyName("stateMachineArn")]
    public required string StateMachineArn { get; init; }

    [JsonPropertyName("input")]
    public required string Input { get; init; }
}

internal sealed record ExecutionStarted
{
    [JsonPropertyName("executionArn")]
    public string? ExecutionArn { get; init; }
}

[JsonSerializable(typeof(ExecutionStart))]
[JsonSerializable(typeof(ExecutionStarted))]
internal sealed partial class TriggerTestJsonContext : JsonSerializerContext;
