namespace Bakery.Core.Exceptions;

/// <summary>
/// A resume (<c>{"resume": "BUILD_ID"}</c>, <c>bakery build --resume</c>) that cannot continue the build: it is unknown,
/// not failed, failed before its image existed, or what it needs (the kept image, a copy) is gone. The message says
/// why and that the build must start again.
/// </summary>
public sealed class ResumeRefused : BakeryException
{
    public ResumeRefused(string message)
        : base(message)
    {
    }

    public ResumeRefused(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
