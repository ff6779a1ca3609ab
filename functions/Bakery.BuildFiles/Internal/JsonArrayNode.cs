namespace Bakery.BuildFiles.Internal;

internal sealed class JsonArrayNode(JsonSource source, JsonNode? parent, string? name, int index, int offset)
    : JsonNode(source, parent, name, index, offset)
{
    /// <summary>The items in order; set once by the reader after the items (which point here) are read.</summary>
    public JsonNode[] Items { get; private set; } = [];

    public override string KindName => "an array";

    internal void SetItems(JsonNode[] items) => Items = items;
}
