namespace Bakery.BuildFiles.Internal;

/// <summary>
/// The UTF-8 text a tree of <see cref="JsonNode"/>s was read from. Nodes keep byte offsets into it, and line and column
/// are worked out only when a message needs them.
/// </summary>
internal sealed class JsonSource(ReadOnlyMemory<byte> content)
{
    private LineIndex? _lines;

    public ReadOnlyMemory<byte> Content { get; } = content;

    public LineIndex Lines => _lines ??= new LineIndex(Content);

    public SourcePosition GetPosition(int byteOffset) => Lines.GetPosition(byteOffset);
}
