namespace Bakery.Core.Exceptions;

/// <summary>The build file cannot be parsed, rendered or validated.</summary>
public sealed class BuildFileInvalid : BakeryException
{
    public BuildFileInvalid(string message)
        : base(message)
    {
    }

    public BuildFileInvalid(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
