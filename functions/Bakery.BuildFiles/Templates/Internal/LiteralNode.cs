namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>A string, raw string, number, character, bool or nil constant.</summary>
internal sealed class LiteralNode : OperandNode
{
    private readonly string _source;
    private readonly int _length;
    private string? _text;

    public LiteralNode(TemplateValue value, string text, int offset)
        : base(offset)
    {
        Value = value;
        _text = text;
        _source = text;
        _length = text.Length;
    }

    /// <summary>A literal whose text is cut out of <paramref name="source"/> only if a message needs it.</summary>
    public LiteralNode(TemplateValue value, string source, int offset, int length)
        : base(offset)
    {
        Value = value;
        _source = source;
        _length = length;
    }

    public TemplateValue Value { get; }

    /// <summary>The literal as written, for messages (Go reports "expected string; found 5").</summary>
    public string Text => _text ??= _source.Substring(Offset, _length);

    /// <summary>A number constant that is a whole number (Go accepts <c>2.0</c> where an int is expected).</summary>
    public bool IsWholeNumber =>
        Value.Kind == TemplateValueKind.Integer ||
        (Value.Kind == TemplateValueKind.Float && Math.Floor(Value.AsFloat) == Value.AsFloat && Math.Abs(Value.AsFloat) < 9.2e18);
}
