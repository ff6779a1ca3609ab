namespace Bakery.BuildFiles.Templates;

/// <summary>The template text is malformed: unclosed action, unknown function, bad literal, wrong argument count.</summary>
public sealed class TemplateSyntaxException : TemplateException
{
    public TemplateSyntaxException(string message, int offset)
        : base(message, offset)
    {
    }
}
