namespace Bakery.Core.Exceptions;

/// <summary>The instance did not become running and reachable by SSM before the deadline.</summary>
public sealed class InstanceNotReady : BakeryException
{
    public InstanceNotReady(string message)
        : base(message)
    {
    }

    public InstanceNotReady(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
