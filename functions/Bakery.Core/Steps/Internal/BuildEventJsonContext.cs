using System.Text.Json.Serialization;

namespace Bakery.Core.Steps.Internal;

/// <summary>Source-generated JSON for build events' detail (camelCase, as EventBridge rules usually match on).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildEventDetail))]
internal sealed partial class BuildEventJsonContext : JsonSerializerContext;
