namespace Bakery.Core.Exceptions;

/// <summary>RunInstances (or the temporary security group it needs) was refused.</summary>
public sealed class LaunchFailed : BakeryException
{
    public LaunchFailed(string message)
        : base(message)
    {
    }

    public LaunchFailed(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
