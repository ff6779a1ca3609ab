using System.Text.Json.Serialization;

namespace Bakery.Local.StandIn;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(StandInDescription))]
internal sealed partial class StandInJsonContext : JsonSerializerContext;
