using System.Text.Json.Serialization;

namespace Bakery.Cli.Stack;

// The wire shapes of the one Step Functions call the CLI makes, named as its API reference names them (camelCase).

/// <summary>Step Functions StartExecution's request.</summary>
internal sealed record StartExecutionRequest
{
    [JsonPropertyName("stateMachineArn")]
    public required string StateMachineArn { get; init; }

    /// <summary>The execution's input: a JSON document, as a string.</summary>
    [JsonPropertyName("input")]
    public required string Input { get; init; }
}

/// <summary>Step Functions StartExecution's answer (its startDate is not read).</summary>
internal sealed record StartExecutionResponse
{
    [JsonPropertyName("executionArn")]
    public string? ExecutionArn { get; init; }
}
