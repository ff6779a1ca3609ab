namespace Bakery.Core.BuildFiles.Internal;

internal sealed class JsonObjectNode(SourcePosition position, LazyJsonPath path, IReadOnlyList<JsonProperty> properties)
    : JsonNode(position, path)
{
    public IReadOnlyList<JsonProperty> Properties { get; } = properties;

    public override string KindName => "an object";

    public JsonProperty? Find(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }
}
