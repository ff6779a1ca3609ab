namespace Bakery.Core.Logging;

/// <summary>
/// The fields a log line carries besides Lambda's own (<c>timestamp, level, message</c>): the invocation's request id
/// and the build and step it serves, so CloudWatch Logs Insights can pick one build's lines across every function.
/// </summary>
public static class LogFields
{
    public const string RequestId = "requestId";
    public const string BuildId = "buildId";
    public const string Step = "step";

    /// <summary>Lambda's own fields and the exception's: a message's or a scope's value never takes their place.</summary>
    internal static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "timestamp", "level", "message", "errorType", "errorMessage", "stackTrace",
    };
}
