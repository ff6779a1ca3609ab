using Bakery.Core.Lambda;

namespace Bakery.Functions.Runtime;

/// <summary>
/// Turns exceptions into <see cref="RuntimeError"/>s: <c>errorType</c> is the exception's short type name (the
/// contract with the workflow's Retry/Catch). Step Functions shows the message to whoever reads the execution, so
/// sensitive values are masked where they are known, by the step that throws (docs/security.md), not here.
/// </summary>
internal static class RuntimeErrors
{
    /// <summary>Reported when a handler gave up because the deadline token fired.</summary>
    public const string StepTimedOut = nameof(Bakery.Core.Exceptions.StepTimedOut);
    /// <summary>Lambda's own name for a response that is too large to return.</summary>
    public const string ResponseSizeTooLarge = "Function.ResponseSizeTooLarge";

    public static RuntimeError FromException(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        return new RuntimeError
        {
            ErrorType = exception.GetType().Name,
            ErrorMessage = exception.Message,
            StackTrace = (exception.StackTrace ?? string.Empty)
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    public static RuntimeError DeadlineReached(TimeSpan margin) => new()
    {
        ErrorType = StepTimedOut,
        ErrorMessage = $"The handler stopped when its cancellation token fired, {margin.TotalMilliseconds:0} ms before the Lambda deadline",
    };

    public static RuntimeError ResponseTooLarge(int size) => new()
    {
        ErrorType = ResponseSizeTooLarge,
        ErrorMessage = $"Response payload size ({size} bytes) exceeded maximum allowed payload size ({LambdaRuntimeApi.MaxResponseBytes} bytes).",
    };

    public static RuntimeError ResponseRejectedAsTooLarge(int size) => new()
    {
        ErrorType = ResponseSizeTooLarge,
        ErrorMessage = $"The Runtime API refused the response payload ({size} bytes) as too large (413).",
    };
}
