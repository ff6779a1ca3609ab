using System.Text.Json.Serialization;

namespace Bakery.Core.Aws.Json;

/// <summary>Source-generated JSON for the JSON 1.1 calls (trimming- and AOT-safe). Nulls are left out, as the SDKs send them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GetSecretValueRequest))]
[JsonSerializable(typeof(GetSecretValueResponse))]
[JsonSerializable(typeof(PutEventsRequest))]
[JsonSerializable(typeof(PutEventsResponse))]
internal sealed partial class AwsJsonContext : JsonSerializerContext;
