namespace Bakery.Core.Exceptions;

/// <summary>CreateImage was refused or the image ended in the <c>failed</c> state.</summary>
public sealed class ImageFailed : BakeryException
{
    public ImageFailed(string message)
        : base(message)
    {
    }

    public ImageFailed(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
