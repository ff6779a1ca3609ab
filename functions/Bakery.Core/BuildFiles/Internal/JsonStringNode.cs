namespace Bakery.Core.BuildFiles.Internal;

/// <summary>
/// A string value. <see cref="Position"/> is its opening quote. When the source used escapes, <see cref="RawText"/> keeps
/// the text between the quotes as written so an offset into <see cref="Value"/> maps back to the right column.
/// </summary>
internal sealed class JsonStringNode(SourcePosition position, LazyJsonPath path, string value, string? rawText) : JsonNode(position, path)
{
    public string Value { get; } = value;

    public string? RawText { get; } = rawText;

    public override string KindName => "a string";

    /// <summary>Where the character at <paramref name="offset"/> of <see cref="Value"/> was written (strings never span lines).</summary>
    public SourcePosition PositionOf(int offset)
    {
        var clamped = Math.Clamp(offset, 0, Value.Length);
        if (RawText is null)
        {
            return Position with { Column = Position.Column + 1 + clamped };
        }

        var raw = 0;
        for (var unescaped = 0; unescaped < clamped && raw < RawText.Length; unescaped++)
        {
            if (RawText[raw] != '\\')
            {
                raw++;
            }
            else if (raw + 1 < RawText.Length && RawText[raw + 1] == 'u')
            {
                raw += 6;
            }
            else
            {
                raw += 2;
            }
        }

        return Position with { Column = Position.Column + 1 + Math.Min(raw, RawText.Length) };
    }
}
