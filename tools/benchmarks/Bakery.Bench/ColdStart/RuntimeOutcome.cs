namespace Bakery.Bench.ColdStart;

/// <summary>How one cold run ended: a response (or an error), when it arrived, and the peak RSS at that moment.</summary>
internal sealed record RuntimeOutcome(bool Succeeded, TimeSpan Elapsed, long? PeakRssKilobytes, string Path, string Body);
