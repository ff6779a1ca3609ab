namespace Bakery.Core.Templates.Internal;

/// <summary>A string, raw string, number, character, bool or nil constant.</summary>
internal sealed class LiteralNode(TemplateValue value, string text, int offset) : OperandNode(offset)
{
    public TemplateValue Value { get; } = value;

    /// <summary>The literal as written, for messages (Go reports "expected string; found 5").</summary>
    public string Text { get; } = text;

    /// <summary>A number constant that is a whole number (Go accepts <c>2.0</c> where an int is expected).</summary>
    public bool IsWholeNumber =>
        Value.Kind == TemplateValueKind.Integer ||
        (Value.Kind == TemplateValueKind.Float && Math.Floor(Value.AsFloat) == Value.AsFloat && Math.Abs(Value.AsFloat) < 9.2e18);
}
