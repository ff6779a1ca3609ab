namespace Bakery.Core.Exceptions;

/// <summary>
/// Base of every error a step reports to the workflow. The runtime reports <c>errorType</c> as the exception's short
/// type name, so each subclass's name is a Retry/Catch name in the state machine and must not change.
/// </summary>
public abstract class BakeryException : Exception
{
    protected BakeryException(string message)
        : base(message)
    {
    }

    protected BakeryException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
