namespace Bakery.BuildFiles.Internal;

/// <summary>A number, <c>true</c>, <c>false</c> or <c>null</c>, with its text as written.</summary>
internal sealed class JsonScalarNode(JsonSource source, JsonNode? parent, string? name, int index, int offset, JsonScalarKind kind, string text)
    : JsonNode(source, parent, name, index, offset)
{
    public JsonScalarKind Kind { get; } = kind;

    /// <summary>The literal as written: <c>42</c>, <c>1.5e3</c>, <c>true</c>, <c>null</c>.</summary>
    public string Text { get; } = text;

    public override string KindName => Kind switch
    {
        JsonScalarKind.Number => "a number",
        JsonScalarKind.Boolean => "a boolean",
        _ => "null",
    };
}
