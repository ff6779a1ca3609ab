namespace Bakery.Core.Exceptions;

/// <summary>An AMI with the target name already exists and force_deregister is not set.</summary>
public sealed class AmiNameInUse : BakeryException
{
    public AmiNameInUse(string message)
        : base(message)
    {
    }

    public AmiNameInUse(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
