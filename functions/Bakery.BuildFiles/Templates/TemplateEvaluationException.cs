namespace Bakery.BuildFiles.Templates;

/// <summary>The template is well-formed but could not be rendered: undefined variable, <c>env</c> where it is not allowed, ...</summary>
public sealed class TemplateEvaluationException : TemplateException
{
    public TemplateEvaluationException(string message, int offset)
        : base(message, offset)
    {
    }

    public TemplateEvaluationException(string message, int offset, Exception innerException)
        : base(message, offset, innerException)
    {
    }
}
