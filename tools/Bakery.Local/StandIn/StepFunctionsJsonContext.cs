using System.Text.Json.Serialization;

namespace Bakery.Local.StandIn;

/// <summary>Source-generated JSON for the stand-in's Step Functions calls to moto.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateStateMachineRequest))]
[JsonSerializable(typeof(CreateStateMachineResponse))]
[JsonSerializable(typeof(ListExecutionsRequest))]
[JsonSerializable(typeof(ListExecutionsResponse))]
[JsonSerializable(typeof(DescribeExecutionRequest))]
[JsonSerializable(typeof(DescribeExecutionResponse))]
internal sealed partial class StepFunctionsJsonContext : JsonSerializerContext;
