namespace Bakery.Functions.Runtime;

/// <summary>One event handed out by <c>/invocation/next</c>, with the <c>Lambda-Runtime-*</c> headers that came with it.</summary>
internal sealed record Invocation
{
    public required string RequestId { get; init; }
    /// <summary>When Lambda kills the invocation (<c>Lambda-Runtime-Deadline-Ms</c>); null when the header is missing.</summary>
    public DateTimeOffset? Deadline { get; init; }
    public string? InvokedFunctionArn { get; init; }
    public string? TraceId { get; init; }
    public ReadOnlyMemory<byte> Payload { get; init; }
}
