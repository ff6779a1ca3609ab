namespace Bakery.Core.Exceptions;

/// <summary>SSM refused to write the AMI id parameter in a region (after the regions already written were put back).</summary>
public sealed class PublishParameterFailed : BakeryException
{
    public PublishParameterFailed(string message)
        : base(message)
    {
    }

    public PublishParameterFailed(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
