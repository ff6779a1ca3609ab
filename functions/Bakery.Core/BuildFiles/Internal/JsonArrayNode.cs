namespace Bakery.Core.BuildFiles.Internal;

internal sealed class JsonArrayNode(SourcePosition position, LazyJsonPath path, IReadOnlyList<JsonNode> items) : JsonNode(position, path)
{
    public IReadOnlyList<JsonNode> Items { get; } = items;

    public override string KindName => "an array";
}
