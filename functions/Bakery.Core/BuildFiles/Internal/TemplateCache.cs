using Bakery.Core.Templates;

namespace Bakery.Core.BuildFiles.Internal;

/// <summary>
/// Parsed templates of one load, by text: the same string (a tag value, an environment variable) is often written once
/// per builder or provisioner, and a <see cref="ParsedTemplate"/> can be rendered any number of times.
/// Invalid templates are not kept, so each occurrence is reported where it was written.
/// </summary>
internal sealed class TemplateCache
{
    private readonly Dictionary<string, ParsedTemplate> _parsed = new(StringComparer.Ordinal);

    /// <exception cref="TemplateSyntaxException">The text is not a valid template.</exception>
    public ParsedTemplate Parse(string text)
    {
        if (!_parsed.TryGetValue(text, out var parsed))
        {
            parsed = TemplateParser.Parse(text);
            _parsed.Add(text, parsed);
        }

        return parsed;
    }
}
