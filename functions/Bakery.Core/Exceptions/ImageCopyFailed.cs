namespace Bakery.Core.Exceptions;

/// <summary>A copy to one of ami_regions was refused or failed.</summary>
public sealed class ImageCopyFailed : BakeryException
{
    public ImageCopyFailed(string message)
        : base(message)
    {
    }

    public ImageCopyFailed(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
