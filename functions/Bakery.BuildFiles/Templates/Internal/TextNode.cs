namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>Literal text between actions, already trimmed by <c>{{-</c> / <c>-}}</c> markers.</summary>
internal sealed class TextNode(string text) : TemplateNode
{
    public string Text { get; } = text;
}
