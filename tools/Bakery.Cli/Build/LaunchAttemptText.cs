using Bakery.Core.Ledger;

namespace Bakery.Cli.Build;

/// <summary>How the CLI words one recorded launch attempt (capacity fallback), in the status view and a build's summary.</summary>
internal static class LaunchAttemptText
{
    public static string Of(LedgerLaunchAttempt attempt) => attempt.Error is { } error
        ? $"{attempt.InstanceType} ({attempt.Market}): {error}"
        : $"{attempt.InstanceType} ({attempt.Market}): launched {attempt.InstanceId}";

    /// <summary>True when a builder needed more than one attempt or ran on spot: then the summary says how it got capacity.</summary>
    public static bool WorthShowing(IReadOnlyList<LedgerLaunchAttempt> attempts) =>
        attempts.Any(attempt => attempt.Error is not null || attempt.Market == "spot");
}
