namespace Bakery.Core.Aws;

/// <summary>How hard <see cref="AwsRetry"/> tries before giving up with <c>AwsTransientError</c>.</summary>
public sealed record AwsRetryOptions
{
    /// <summary>Total calls including the first.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>The backoff cap before jitter of the first retry; doubles each retry.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>No single wait is longer than this (a Lambda has minutes, not hours).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);
}
