namespace Bakery.Core.Exceptions;

/// <summary>Granting launch or create-volume permissions was refused.</summary>
public sealed class ShareFailed : BakeryException
{
    public ShareFailed(string message)
        : base(message)
    {
    }

    public ShareFailed(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
