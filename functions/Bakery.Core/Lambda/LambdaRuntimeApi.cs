namespace Bakery.Core.Lambda;

/// <summary>
/// The Lambda Runtime API's wire names and limits, written once for the three parties that speak it: the runtime
/// client in <c>bootstrap</c>, the local Lambda service that serves it on one machine, and the tests' and benchmarks'
/// servers. It lives in Core because Core is the one project all of them reference.
/// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html.
/// </summary>
public static class LambdaRuntimeApi
{
    /// <summary>The API version every path starts with: <c>/2018-06-01/runtime/invocation/next</c> and so on.</summary>
    public const string PathPrefix = "/2018-06-01/runtime";

    /// <summary>The request id of the event <c>/invocation/next</c> handed out.</summary>
    public const string RequestIdHeader = "Lambda-Runtime-Aws-Request-Id";

    /// <summary>When Lambda stops the invocation, in Unix milliseconds.</summary>
    public const string DeadlineMsHeader = "Lambda-Runtime-Deadline-Ms";

    /// <summary>The ARN the caller invoked.</summary>
    public const string InvokedFunctionArnHeader = "Lambda-Runtime-Invoked-Function-Arn";

    /// <summary>The X-Ray trace header, which the runtime exposes as <c>_X_AMZN_TRACE_ID</c>.</summary>
    public const string TraceIdHeader = "Lambda-Runtime-Trace-Id";

    /// <summary>Sent with <c>/error</c> and <c>/init/error</c>: the error type Step Functions' Retry and Catch match on.</summary>
    public const string FunctionErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    /// <summary>
    /// The largest synchronous response Lambda returns: the quota is "6 MB each for request and response
    /// (synchronous)" (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), and the exact figure
    /// is the one Lambda names when it refuses a larger one ("exceeded maximum allowed payload size (6291556 bytes)").
    /// </summary>
    public const int MaxResponseBytes = 6_291_556;
}
