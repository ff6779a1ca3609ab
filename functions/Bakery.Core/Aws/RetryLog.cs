using Microsoft.Extensions.Logging;

namespace Bakery.Core.Aws;

/// <summary><see cref="AwsRetry"/>'s log line; its placeholders become the line's fields.</summary>
internal static partial class RetryLog
{
    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "{operation} failed with {errorCode} (attempt {attempt} of {maxAttempts}); retrying in {delayMs} ms: {cause}")]
    public static partial void Retrying(
        ILogger logger, string operation, string errorCode, int attempt, int maxAttempts, double delayMs, string cause);
}
