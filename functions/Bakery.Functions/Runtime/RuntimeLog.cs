using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Runtime;

/// <summary>The runtime loop's log lines (Lambda's JSON log format, see Bakery.Core.Logging).</summary>
internal static partial class RuntimeLog
{
    [LoggerMessage(Level = LogLevel.Critical, Message = "AWS_LAMBDA_RUNTIME_API is not set: bootstrap runs under Lambda or the local Lambda service")]
    public static partial void RuntimeApiNotSet(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Init failed: {error}: {cause}")]
    public static partial void InitFailed(ILogger logger, string error, string cause);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Stopping: {reason}")]
    public static partial void Stopping(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The response was refused, serving the next event: {reason}")]
    public static partial void ResponseRefused(ILogger logger, string reason);

    /// <summary>What the invocation ends with, as reported to <c>/error</c>.</summary>
    [LoggerMessage(Level = LogLevel.Error, Message = "{error}: {cause}")]
    public static partial void Reporting(ILogger logger, string error, string cause);

    [LoggerMessage(Level = LogLevel.Error, Message = "The error report was refused, serving the next event: {reason}")]
    public static partial void ErrorReportRefused(ILogger logger, string reason);
}
