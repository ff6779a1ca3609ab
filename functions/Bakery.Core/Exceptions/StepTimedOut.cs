namespace Bakery.Core.Exceptions;

/// <summary>A step's own deadline passed (aws_polling attempts, the build's overall deadline).</summary>
public sealed class StepTimedOut : BakeryException
{
    public StepTimedOut(string message)
        : base(message)
    {
    }

    public StepTimedOut(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
