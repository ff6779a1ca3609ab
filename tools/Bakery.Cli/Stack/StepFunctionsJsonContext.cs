using System.Text.Json.Serialization;

namespace Bakery.Cli.Stack;

/// <summary>Source-generated JSON for the CLI's Step Functions call. Nulls are left out, as the SDKs send them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StartExecutionRequest))]
[JsonSerializable(typeof(StartExecutionResponse))]
internal sealed partial class StepFunctionsJsonContext : JsonSerializerContext;
