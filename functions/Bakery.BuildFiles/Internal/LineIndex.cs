using System.Text;

namespace Bakery.BuildFiles.Internal;

/// <summary>Turns byte offsets of a UTF-8 text into line and column, in O(log lines) per lookup.</summary>
internal sealed class LineIndex
{
    private readonly ReadOnlyMemory<byte> _text;
    private readonly List<int> _lineStarts = [0];
    private int _lastOffset;
    private int _lastLine;
    private int _lastColumn = 1;

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
        int line;
        if (offset >= _lastOffset && _lastLine + 1 < _lineStarts.Count && offset < _lineStarts[_lastLine + 1])
        {
            // The reader asks in file order: continue counting from the last answer on the same line.
            line = _lastLine;
            _lastColumn += CountCharacters(_lastOffset, offset);
        }
        else if (offset >= _lastOffset && _lastLine + 1 == _lineStarts.Count)
        {
            line = _lastLine;
            _lastColumn += CountCharacters(_lastOffset, offset);
        }
        else
        {
            line = _lineStarts.BinarySearch(offset);
            if (line < 0)
            {
                line = ~line - 1;
            }

            _lastColumn = 1 + CountCharacters(_lineStarts[line], offset);
        }

        _lastLine = line;
        _lastOffset = offset;
        return new SourcePosition(line + 1, _lastColumn);
    }

    /// <summary>Columns count UTF-16 characters, the unit template offsets use too.</summary>
    private int CountCharacters(int from, int to) => Encoding.UTF8.GetCharCount(_text.Span[from..to]);
}
