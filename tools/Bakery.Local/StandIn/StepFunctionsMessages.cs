using System.Text.Json.Serialization;

namespace Bakery.Local.StandIn;

// The wire shapes of the Step Functions calls the stand-in makes to moto, named as the API reference names them.

/// <summary>CreateStateMachine's request.</summary>
internal sealed record CreateStateMachineRequest
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("definition")]
    public required string Definition { get; init; }

    [JsonPropertyName("roleArn")]
    public required string RoleArn { get; init; }
}

/// <summary>CreateStateMachine's answer.</summary>
internal sealed record CreateStateMachineResponse
{
    [JsonPropertyName("stateMachineArn")]
    public string? StateMachineArn { get; init; }
}

/// <summary>ListExecutions' request.</summary>
internal sealed record ListExecutionsRequest
{
    [JsonPropertyName("stateMachineArn")]
    public required string StateMachineArn { get; init; }

    [JsonPropertyName("nextToken")]
    public string? NextToken { get; init; }
}

/// <summary>ListExecutions' answer.</summary>
internal sealed record ListExecutionsResponse
{
    [JsonPropertyName("executions")]
    public IReadOnlyList<ExecutionListItem>? Executions { get; init; }

    [JsonPropertyName("nextToken")]
    public string? NextToken { get; init; }
}

/// <summary>One execution of ListExecutions' answer.</summary>
internal sealed record ExecutionListItem
{
    [JsonPropertyName("executionArn")]
    public required string ExecutionArn { get; init; }
}

/// <summary>DescribeExecution's request.</summary>
internal sealed record DescribeExecutionRequest
{
    [JsonPropertyName("executionArn")]
    public required string ExecutionArn { get; init; }
}

/// <summary>DescribeExecution's answer: the input the execution was started with.</summary>
internal sealed record DescribeExecutionResponse
{
    [JsonPropertyName("input")]
    public string? Input { get; init; }
}
