namespace Bakery.Core.Exceptions;

/// <summary>
/// The new image's test commands failed (test_image). TestImage records the verdict in the state rather than throwing,
/// so the workflow's own <c>ImageTestFailed</c> state raises this name and Teardown still runs; the type keeps the name
/// one of the errors the code defines, as every error the definition names is.
/// </summary>
public sealed class ImageTestFailed : BakeryException
{
    public ImageTestFailed(string message)
        : base(message)
    {
    }

    public ImageTestFailed(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
