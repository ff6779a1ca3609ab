namespace Bakery.BuildFiles.Internal;

internal sealed class JsonObjectNode(JsonSource source, JsonNode? parent, string? name, int index, int offset)
    : JsonNode(source, parent, name, index, offset)
{
    /// <summary>The members in the order written; set once by the reader after the members (which point here) are read.</summary>
    public JsonProperty[] Properties { get; private set; } = [];

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

    internal void SetProperties(JsonProperty[] properties) => Properties = properties;
}
