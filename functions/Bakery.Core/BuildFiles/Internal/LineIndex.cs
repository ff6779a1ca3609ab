namespace Bakery.Core.BuildFiles.Internal;

/// <summary>Turns byte offsets of a UTF-8 text into line and column, in O(log lines) per lookup.</summary>
internal sealed class LineIndex
{
    private readonly ReadOnlyMemory<byte> _text;
    private readonly List<int> _lineStarts = [0];

    public LineIndex(ReadOnlyMemory<byte> text)
    {
        _text = text;
        var span = text.Span;
        for (var i = span.IndexOf((byte)'\n'); i >= 0;)
        {
            _lineStarts.Add(i + 1);
            var next = span[(i + 1)..].IndexOf((byte)'\n');
            i = next < 0 ? -1 : i + 1 + next;
        }
    }

    public int LineCount => _lineStarts.Count;

    public int GetLineStart(int zeroBasedLine) => _lineStarts[Math.Clamp(zeroBasedLine, 0, _lineStarts.Count - 1)];

    public SourcePosition GetPosition(long byteOffset)
    {
        var offset = (int)Math.Clamp(byteOffset, 0, _text.Length);
        var line = _lineStarts.BinarySearch(offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourcePosition(line + 1, 1 + CountCharacters(_lineStarts[line], offset));
    }

    private int CountCharacters(int from, int to)
    {
        // A character starts at every byte that is not a UTF-8 continuation byte (10xxxxxx).
        var count = 0;
        foreach (var b in _text.Span[from..to])
        {
            if ((b & 0xC0) != 0x80)
            {
                count++;
            }
        }

        return count;
    }
}
