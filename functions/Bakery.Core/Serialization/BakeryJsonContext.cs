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
/// <remarks>
/// Properties of these types that have a default value are <c>set</c>, not <c>init</c>: the source generator
/// builds objects with init-only properties through an object initializer that assigns every init property,
/// so a property missing from the JSON would become null instead of keeping its default (checked on .NET 10).
/// </remarks>
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
