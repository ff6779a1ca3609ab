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

    /// <summary>
    /// S3: one PUT (PutObject, CopyObject, a presigned PUT URL) carries at most 5 GiB; a larger object needs a
    /// multipart upload (https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html: "Upload an object
    /// in a single operation ... you can upload objects up to 5 GB"; CopyObject: "You can store individual objects of
    /// up to 5 TB in Amazon S3. You create a copy of your object up to 5 GB in size in a single atomic action").
    /// </summary>
    public const long S3SinglePutBytes = 5L * 1024 * 1024 * 1024;

    /// <summary>S3 multipart upload: at most 10,000 parts, each 5 MiB to 5 GiB except the last; an object is at most 5 TiB (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html).</summary>
    public const int S3MaxParts = 10_000;

    /// <summary>The smallest part of a multipart upload, but for the last (same page as <see cref="S3MaxParts"/>).</summary>
    public const long S3MinPartBytes = 5L * 1024 * 1024;

    /// <summary>The largest S3 object: 5 TiB (same page as <see cref="S3MaxParts"/>).</summary>
    public const long S3MaxObjectBytes = 5L * 1024 * 1024 * 1024 * 1024;

    /// <summary>
    /// Step Functions: a standard workflow's execution history holds at most 25,000 events ("Maximum execution history
    /// size", a hard quota: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html); an execution that
    /// would pass it fails at once, with no Catch and so no Teardown. An inline Map's iterations write into the same history.
    /// </summary>
    public const int ExecutionHistoryEvents = 25_000;
}
