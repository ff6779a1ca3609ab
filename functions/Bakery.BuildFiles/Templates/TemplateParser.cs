using Bakery.BuildFiles.Templates.Internal;

namespace Bakery.BuildFiles.Templates;

/// <summary>Parses Packer's JSON-template strings (Go text/template with Packer's functions).</summary>
public static class TemplateParser
{
    /// <summary>Parses <paramref name="text"/> once; render the result as often as needed.</summary>
    /// <exception cref="TemplateSyntaxException">The text is not a valid template.</exception>
    public static ParsedTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ActionParser.Parse(text);
    }

    /// <summary>Whether <paramref name="text"/> may contain template actions; when false it renders to itself.</summary>
    public static bool ContainsActions(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains("{{", StringComparison.Ordinal);
    }
}
