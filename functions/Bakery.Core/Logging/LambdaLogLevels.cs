using Microsoft.Extensions.Logging;

namespace Bakery.Core.Logging;

/// <summary>
/// Lambda's log levels (<c>AWS_LAMBDA_LOG_LEVEL</c>: TRACE, DEBUG, INFO, WARN, ERROR, FATAL) and ILogger's, one to one:
/// the level Lambda's JSON log format writes and its advanced logging controls filter on
/// (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html).
/// </summary>
public static class LambdaLogLevels
{
    public const string Variable = "AWS_LAMBDA_LOG_LEVEL";

    /// <summary>Reads <c>AWS_LAMBDA_LOG_LEVEL</c> (any case); INFO when unset or unknown.</summary>
    public static LogLevel Parse(string? value) => value?.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "FATAL" => LogLevel.Critical,
        _ => LogLevel.Information,
    };

    /// <summary>The name Lambda's JSON log format gives <paramref name="level"/>.</summary>
    public static string Name(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        _ => "FATAL",
    };
}
