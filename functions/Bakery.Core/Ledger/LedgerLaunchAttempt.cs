namespace Bakery.Core.Ledger;

/// <summary>
/// One RunInstances attempt of a builder as the ledger keeps it (attribute <c>launchAttempts</c>): the type and market
/// asked for, and the instance it got or EC2's refusal. A build that fell back to another type or market says so here,
/// after its execution's history is gone.
/// </summary>
public sealed record LedgerLaunchAttempt(string Builder, string InstanceType, string Market, string? InstanceId, string? Error);
