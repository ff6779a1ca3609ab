namespace Bakery.BuildFiles.Templates;

/// <summary>
/// A problem in a template string. <see cref="Offset"/> is the character offset into the template's source,
/// so a caller that knows where the string sits in its file can report a line and column.
/// </summary>
public abstract class TemplateException : Exception
{
    protected TemplateException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    protected TemplateException(string message, int offset, Exception innerException)
        : base(message, innerException)
    {
        Offset = offset;
    }

    /// <summary>Character offset into <see cref="ParsedTemplate.Source"/> where the problem starts.</summary>
    public int Offset { get; }
}
