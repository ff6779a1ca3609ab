namespace Bakery.Functions.Runtime;

/// <summary>
/// The Lambda Runtime API (<c>/2018-06-01/runtime/...</c>) as the loop sees it. Every failure of the API itself
/// surfaces as <see cref="RuntimeApiException"/>, so the loop can tell it apart from a handler's failure.
/// </summary>
internal interface IRuntimeApiClient
{
    /// <summary>Waits (without a timeout: Lambda freezes the process here) for the next event.</summary>
    Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken);

    Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken);

    Task SendErrorAsync(string requestId, RuntimeError error, CancellationToken cancellationToken);

    Task SendInitErrorAsync(RuntimeError error, CancellationToken cancellationToken);
}
