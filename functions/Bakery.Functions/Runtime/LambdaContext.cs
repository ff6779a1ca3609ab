using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Runtime;

/// <summary>What a handler knows about the invocation it serves (the small part of Lambda's ILambdaContext we use).</summary>
internal sealed record LambdaContext
{
    public required string RequestId { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public string? InvokedFunctionArn { get; init; }
    public string? TraceId { get; init; }
    /// <summary>The host's logger; the invocation's scope (its request id) is open around the handler.</summary>
    public required ILogger Logger { get; init; }
}
