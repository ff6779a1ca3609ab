using Bakery.Core.Ledger;

namespace Bakery.Functions.Handlers;

/// <summary>Records each step's progress in the build ledger, so `bakery status` can follow a build.</summary>
internal sealed class LedgerStepProgress(IBuildLedger ledger) : IStepProgress
{
    public Task RecordAsync(string buildId, string step, string status, CancellationToken cancellationToken) =>
        ledger.RecordStepAsync(buildId, step, status, cancellationToken);

    public Task ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken) =>
        ledger.ExtendDeadlineAsync(buildId, deadlineEpochSeconds, cancellationToken);
}
