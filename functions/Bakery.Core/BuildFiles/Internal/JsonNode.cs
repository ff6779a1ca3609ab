namespace Bakery.Core.BuildFiles.Internal;

/// <summary>A JSON value with the place it was written and its JSON path (e.g. <c>builders[0].ami_name</c>).</summary>
internal abstract class JsonNode
{
    protected JsonNode(SourcePosition position, string path)
    {
        Position = position;
        Path = path;
    }

    public SourcePosition Position { get; }

    public string Path { get; }

    /// <summary>For messages: "a string", "an object", ...</summary>
    public abstract string KindName { get; }
}
