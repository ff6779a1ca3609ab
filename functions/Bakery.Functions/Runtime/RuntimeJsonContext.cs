using System.Text.Json.Serialization;

namespace Bakery.Functions.Runtime;

/// <summary>The runtime's own wire types, source-generated (the bootstrap never serializes by reflection).</summary>
[JsonSerializable(typeof(RuntimeError))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
