namespace Bakery.BuildFiles.Internal;

/// <summary>
/// A JSON value that knows where it was written and its JSON path (e.g. <c>builders[0].ami_name</c>). Both are worked out
/// from the parent and a byte offset only when asked: they appear only in messages, and a large file's tree stays alive
/// for the whole load, so every field and object per node is paid for in garbage collection (docs/benchmarks.md).
/// </summary>
internal abstract class JsonNode
{
    private readonly JsonNode? _parent;
    private readonly string? _name;
    private readonly int _index;

    /// <param name="source">The text the node was read from.</param>
    /// <param name="parent">The containing object or array; null for the root.</param>
    /// <param name="name">The key in <paramref name="parent"/> when it is an object; null in an array.</param>
    /// <param name="index">The position in <paramref name="parent"/> when it is an array.</param>
    /// <param name="offset">The byte offset of the value's first character in <paramref name="source"/>.</param>
    protected JsonNode(JsonSource source, JsonNode? parent, string? name, int index, int offset)
    {
        Source = source;
        _parent = parent;
        _name = name;
        _index = index;
        Offset = offset;
    }

    public JsonSource Source { get; }

    /// <summary>Byte offset of the value's first character in <see cref="Source"/>.</summary>
    public int Offset { get; }

    public SourcePosition Position => Source.GetPosition(Offset);

    public string Path => _parent is null ? ""
        : _name is null ? JsonPaths.Index(_parent.Path, _index)
        : JsonPaths.Property(_parent.Path, _name);

    /// <summary>For messages: "a string", "an object", ...</summary>
    public abstract string KindName { get; }
}
