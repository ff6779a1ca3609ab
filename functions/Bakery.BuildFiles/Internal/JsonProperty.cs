namespace Bakery.BuildFiles.Internal;

/// <summary>One member of an object: its name, where the name was written (byte offset of its quote), and its value.</summary>
internal sealed class JsonProperty(string name, int nameOffset, JsonNode value)
{
    public string Name { get; } = name;

    public int NameOffset { get; } = nameOffset;

    public JsonNode Value { get; } = value;

    public SourcePosition NamePosition => Value.Source.GetPosition(NameOffset);
}
