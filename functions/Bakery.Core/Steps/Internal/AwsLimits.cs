namespace Bakery.Core.Steps.Internal;

/// <summary>AWS's published limits that Bakery budgets against (docs/reliability.md, "Limits").</summary>
internal static class AwsLimits
{
    /// <summary>
    /// Step Functions: the largest input or output of a task, state or execution is 256 KiB of UTF-8 JSON
    /// (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Maximum input or output size for a
    /// task, state, or execution"). Exceeding it fails the execution with States.DataLimitExceeded.
    /// </summary>
    public const int StatePayloadBytes = 256 * 1024;

    /// <summary>
    /// SSM: a command document, with its parameters filled in, is at most 64 KB; SendCommand answers
    /// MaxDocumentSizeExceeded past it ("The size limit of a document is 64 KB",
    /// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_SendCommand.html#API_SendCommand_Errors).
    /// Counted here as 64 × 1024 bytes of the <c>commands</c> parameter.
    /// </summary>
    public const int CommandDocumentBytes = 64 * 1024;

    /// <summary>GetCommandInvocation returns at most the first 24,000 characters of standard output and of standard error.</summary>
    public const int InvocationOutputChars = 24_000;
}
