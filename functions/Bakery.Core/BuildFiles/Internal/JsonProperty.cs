namespace Bakery.Core.BuildFiles.Internal;

/// <summary>One member of an object: its name, where the name was written, and its value.</summary>
internal sealed record JsonProperty(string Name, SourcePosition NamePosition, JsonNode Value);
