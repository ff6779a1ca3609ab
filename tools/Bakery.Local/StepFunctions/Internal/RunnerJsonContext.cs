using System.Text.Json.Serialization;

namespace Bakery.Local.StepFunctions.Internal;

[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext;
