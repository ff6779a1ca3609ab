namespace Bakery.Functions.Handlers;

/// <summary><c>_HANDLER</c> names no step: an init error, reported to <c>/init/error</c>.</summary>
internal sealed class UnknownHandlerException : Exception
{
    public UnknownHandlerException()
    {
    }

    public UnknownHandlerException(string message)
        : base(message)
    {
    }

    public UnknownHandlerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
