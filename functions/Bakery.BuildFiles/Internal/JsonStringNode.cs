using System.Buffers;
using System.Text;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// A string value. <see cref="JsonNode.Offset"/> is its opening quote. A string written without escapes is kept as a slice
/// of the file and turned into a .NET string only when read (usually once, when it is rendered into the build model), so
/// the tree does not hold a second copy of every string for the whole load. When the source used escapes,
/// <see cref="RawText"/> gives the text between the quotes as written so an offset into <see cref="Value"/> maps back to
/// the right column.
/// </summary>
internal sealed class JsonStringNode : JsonNode
{
    // The decoded value when the source used escapes (or for a property name); otherwise null and the value is the
    // _length bytes after the quote.
    private readonly string? _value;
    private readonly int _length;
    private readonly bool _escaped;

    /// <param name="source">The text the node was read from.</param>
    /// <param name="parent">The containing object or array; null for the root.</param>
    /// <param name="name">The key in <paramref name="parent"/> when it is an object; null in an array.</param>
    /// <param name="index">The position in <paramref name="parent"/> when it is an array.</param>
    /// <param name="offset">The byte offset of the opening quote.</param>
    /// <param name="length">The UTF-8 length of the text between the quotes as written.</param>
    /// <param name="unescaped">The decoded value when the source used escapes; null otherwise.</param>
    public JsonStringNode(JsonSource source, JsonNode? parent, string? name, int index, int offset, int length, string? unescaped)
        : base(source, parent, name, index, offset)
    {
        _value = unescaped;
        _length = length;
        _escaped = unescaped is not null;
    }

    /// <summary>A string that was not read from text (the HCL2 engine's evaluated values): it holds the value itself.</summary>
    /// <param name="source">The (empty) text its tree stands for: positions are placed by JSON path, not offset.</param>
    /// <param name="parent">The containing object or array; null for the root.</param>
    /// <param name="name">The key in <paramref name="parent"/> when it is an object; null in an array.</param>
    /// <param name="index">The position in <paramref name="parent"/> when it is an array.</param>
    /// <param name="value">The value.</param>
    public JsonStringNode(JsonSource source, JsonNode? parent, string? name, int index, string value)
        : base(source, parent, name, index, 0)
    {
        _value = value;
    }

    private JsonStringNode(JsonObjectNode owner, JsonProperty property)
        : base(owner.Source, owner, property.Name, 0, property.NameOffset)
    {
        _value = property.Name;
    }

    public string Value => _value ?? Encoding.UTF8.GetString(Utf8);

    /// <summary>
    /// The value's characters without making a string of them: decoded into an array rented from the shared pool when the
    /// node keeps UTF-8 (<paramref name="rented"/>; the caller returns it).
    /// </summary>
    public ReadOnlySpan<char> GetChars(out char[]? rented)
    {
        if (_value is not null)
        {
            rented = null;
            return _value;
        }

        var utf8 = Utf8;
        rented = ArrayPool<char>.Shared.Rent(utf8.Length);
        return rented.AsSpan(0, Encoding.UTF8.GetChars(utf8, rented));
    }

    public bool IsEmpty => _value is null ? _length == 0 : _value.Length == 0;

    /// <summary>The text between the quotes as written, when it has escapes; null otherwise.</summary>
    public string? RawText => _escaped ? Encoding.UTF8.GetString(Utf8) : null;

    public override string KindName => "a string";

    /// <summary>The text between the quotes as written.</summary>
    private ReadOnlySpan<byte> Utf8 => Source.Content.Span.Slice(Offset + 1, _length);

    /// <summary>
    /// A property's name as a string node, for rendering a templated key: its path is the property's, its position (and so any
    /// template error) is where the name was written.
    /// </summary>
    public static JsonStringNode ForPropertyName(JsonObjectNode owner, JsonProperty property) => new(owner, property);

    /// <summary>Whether the value contains <paramref name="text"/> (ASCII), without decoding it.</summary>
    public bool Contains(string text, ReadOnlySpan<byte> utf8Text) =>
        _value is null ? Utf8.IndexOf(utf8Text) >= 0 : _value.Contains(text, StringComparison.Ordinal);

    /// <summary>Whether the value may hold template actions (<c>{{</c>), without decoding it.</summary>
    public bool ContainsActions => Contains("{{", "{{"u8);

    /// <summary>Where the character at <paramref name="offset"/> of <see cref="Value"/> was written (strings never span lines).</summary>
    public SourcePosition PositionOf(int offset)
    {
        var position = Position;
        var rawText = RawText;
        var clamped = Math.Clamp(offset, 0, _value?.Length ?? Encoding.UTF8.GetCharCount(Utf8));
        if (rawText is null)
        {
            return position with { Column = position.Column + 1 + clamped };
        }

        var raw = 0;
        for (var unescaped = 0; unescaped < clamped && raw < rawText.Length; unescaped++)
        {
            if (rawText[raw] != '\\')
            {
                raw++;
            }
            else if (raw + 1 < rawText.Length && rawText[raw + 1] == 'u')
            {
                raw += 6;
            }
            else
            {
                raw += 2;
            }
        }

        return position with { Column = position.Column + 1 + Math.Min(raw, rawText.Length) };
    }
}
