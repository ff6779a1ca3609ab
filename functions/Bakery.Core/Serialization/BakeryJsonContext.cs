using System.Text.Json.Serialization;
using Bakery.Core.Bake;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Core.Triggers.Wire;

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
[JsonSerializable(typeof(S3ObjectCreatedEvent))]
[JsonSerializable(typeof(BuildTriggerInput))]
[JsonSerializable(typeof(BuildRecord))]
[JsonSerializable(typeof(JanitorRequest))]
[JsonSerializable(typeof(JanitorReport))]
[JsonSerializable(typeof(IReadOnlyList<BuildRecord>))]
public sealed partial class BakeryJsonContext : JsonSerializerContext;
