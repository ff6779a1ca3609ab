using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Handlers;

/// <summary>The handlers' log lines around a step (inside its scope: build id and step on every line).</summary>
internal static partial class StepLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{step} started")]
    public static partial void Started(ILogger logger, string step);

    [LoggerMessage(Level = LogLevel.Information, Message = "{step} succeeded")]
    public static partial void Succeeded(ILogger logger, string step);

    /// <summary>The step's failure, which the workflow's Retry/Catch sees by <paramref name="error"/>; the exception rides along.</summary>
    [LoggerMessage(Level = LogLevel.Error, Message = "{step} failed: {error}: {cause}")]
    public static partial void Failed(ILogger logger, Exception exception, string step, string error, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {status} for {step} failed: {error}: {cause}")]
    public static partial void RecordingFailed(ILogger logger, string status, string step, string error, string cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Extending the deadline to {deadline} failed: {error}: {cause}")]
    public static partial void ExtendingDeadlineFailed(ILogger logger, long deadline, string error, string cause);
}
