namespace Bakery.Functions.Logging;

/// <summary>Lambda's log levels (<c>AWS_LAMBDA_LOG_LEVEL</c>), lowest first.</summary>
internal enum LambdaLogLevel
{
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}
