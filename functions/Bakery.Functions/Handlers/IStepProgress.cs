namespace Bakery.Functions.Handlers;

/// <summary>Where the host records that a build's step started, succeeded or failed (the ledger, in the bootstrap).</summary>
internal interface IStepProgress
{
    Task RecordAsync(string buildId, string step, string status, CancellationToken cancellationToken);

    /// <summary>Moves the build's deadline later (a step saw its work alive); never earlier.</summary>
    Task ExtendDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken);
}
