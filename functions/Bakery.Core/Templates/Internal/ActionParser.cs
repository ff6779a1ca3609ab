namespace Bakery.Core.Templates.Internal;

/// <summary>Parses a template's text into text and action nodes (Go text/template's grammar, without control structures).</summary>
internal static class ActionParser
{
    public static ParsedTemplate Parse(string text)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return new ParsedTemplate(text, [new TextNode(text)], [], [], false);
        }

        throw new NotImplementedException();
    }
}
