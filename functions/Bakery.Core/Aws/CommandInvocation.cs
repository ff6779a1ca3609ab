namespace Bakery.Core.Aws;

/// <summary>
/// One command's result on one instance. <see cref="Status"/> is SSM's (<c>Pending</c>, <c>InProgress</c>, <c>Delayed</c>,
/// <c>Success</c>, <c>Cancelled</c>, <c>TimedOut</c>, <c>Failed</c>, ...); SSM truncates output to 24,000/8,000 characters.
/// </summary>
public sealed record CommandInvocation(string CommandId, string Status)
{
    public string? StatusDetails { get; init; }
    /// <summary>-1 (SSM's "none") is reported as null.</summary>
    public int? ExitCode { get; init; }
    public string? StandardOutput { get; init; }
    public string? StandardError { get; init; }
}
