namespace Bakery.Local.Aws;

/// <summary>
/// The wait between a throttled EC2 call and the next attempt of the same call, read from the proxy's log: what the
/// caller's backoff actually did.
/// </summary>
public sealed record RetryGap
{
    public required string Action { get; init; }

    /// <summary>Which retry this is: 1 after the first throttled attempt, 2 after the second in a row, and so on.</summary>
    public required int Retry { get; init; }

    /// <summary>From the throttling answer to the next attempt's arrival.</summary>
    public required TimeSpan Delay { get; init; }
}
