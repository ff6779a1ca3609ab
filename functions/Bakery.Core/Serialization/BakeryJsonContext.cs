using System.Text.Json.Serialization;
using Bakery.Core.Bake;

namespace Bakery.Core.Serialization;

/// <summary>
/// Every type that crosses the wire between steps, the ledger and the CLI. Source-generated so the
/// <c>bootstrap</c> never serializes by reflection (trimming-safe). Add a type here when it crosses a boundary.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(BakeState))]
public sealed partial class BakeryJsonContext : JsonSerializerContext;
