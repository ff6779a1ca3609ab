namespace Bakery.Local.Lambda.Internal;

/// <summary>An event waiting for, or being handled by, an environment's runtime.</summary>
internal sealed class PendingInvocation(string requestId, byte[] payload)
{
    public string RequestId => requestId;
    public byte[] Payload => payload;
    public TaskCompletionSource PickedUp { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public TaskCompletionSource<InvocationResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
