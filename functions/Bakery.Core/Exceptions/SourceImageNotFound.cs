namespace Bakery.Core.Exceptions;

/// <summary>Neither source_ami nor source_ami_filter resolves to an available image.</summary>
public sealed class SourceImageNotFound : BakeryException
{
    public SourceImageNotFound(string message)
        : base(message)
    {
    }

    public SourceImageNotFound(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
