namespace Bakery.Local.Lambda;

/// <summary>The SAM template cannot be run locally: a missing property, or references without a local value.</summary>
public sealed class LocalTemplateException : Exception
{
    public LocalTemplateException()
    {
    }

    public LocalTemplateException(string message)
        : base(message)
    {
    }

    public LocalTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
