namespace Bakery.Core.Exceptions;

/// <summary>The execution's input is not one of the accepted trigger shapes, or names something unusable.</summary>
public sealed class BuildInputInvalid : BakeryException
{
    public BuildInputInvalid(string message)
        : base(message)
    {
    }

    public BuildInputInvalid(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
