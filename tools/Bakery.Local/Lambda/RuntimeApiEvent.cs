namespace Bakery.Local.Lambda;

/// <summary>One event as <c>/invocation/next</c> hands it out: the payload and the <c>Lambda-Runtime-*</c> headers.</summary>
public sealed record RuntimeApiEvent(string RequestId, ReadOnlyMemory<byte> Payload, string InvokedFunctionArn)
{
    /// <summary>When Lambda would stop the invocation; no deadline header when null.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The X-Ray trace header; none when null.</summary>
    public string? TraceId { get; init; }
}
