namespace Bakery.Functions.Handlers;

/// <summary>Records nothing: for handlers that run without a ledger.</summary>
internal sealed class NoStepProgress : IStepProgress
{
    public static NoStepProgress Instance { get; } = new();

    public Task RecordAsync(string buildId, string step, string status, CancellationToken cancellationToken) => Task.CompletedTask;
}
