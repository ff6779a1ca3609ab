namespace Bakery.Core.Exceptions;

/// <summary>AWS kept answering with throttling or transient errors after the in-step retries: the workflow may retry the step.</summary>
public sealed class AwsTransientError : BakeryException
{
    public AwsTransientError(string message)
        : base(message)
    {
    }

    public AwsTransientError(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
