namespace Bakery.Core.BuildFiles.Internal;

/// <summary>A JSON value with the place it was written and its JSON path (e.g. <c>builders[0].ami_name</c>).</summary>
internal abstract class JsonNode
{
    private readonly LazyJsonPath _path;

    protected JsonNode(SourcePosition position, LazyJsonPath path)
    {
        Position = position;
        _path = path;
    }

    public SourcePosition Position { get; }

    public string Path => _path.ToString();

    /// <summary>For messages: "a string", "an object", ...</summary>
    public abstract string KindName { get; }
}
