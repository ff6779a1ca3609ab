using Bakery.Core.Exceptions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bakery.Core.Aws;

/// <summary>
/// Retries one AWS call on throttling, transient and (per call) eventual-consistency errors with capped exponential
/// backoff and full jitter, so those errors never reach the workflow; when they persist the step fails with
/// <see cref="AwsTransientError"/>, which the workflow may retry as a whole. Each retry is logged at Warning with the
/// operation, the attempt and the wait, so backoff is visible in the function's log (the SDK's own retries are off).
/// </summary>
public sealed class AwsRetry
{
    private readonly AwsRetryOptions options;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;
    private readonly Func<double> random;
    private readonly ILogger logger;

    /// <summary>Waits on <paramref name="timeProvider"/>'s clock; logs each retry to <paramref name="logger"/>.</summary>
    public AwsRetry(TimeProvider timeProvider, AwsRetryOptions? options = null, ILogger? logger = null)
        : this(options ?? new AwsRetryOptions(), (wait, token) => Task.Delay(wait, timeProvider, token), Random.Shared.NextDouble, logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
    }

    /// <summary>The seam tests use: <paramref name="delay"/> decides what waiting means, <paramref name="random"/> gives [0,1).</summary>
    public AwsRetry(AwsRetryOptions options, Func<TimeSpan, CancellationToken, Task> delay, Func<double>? random = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(delay);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        this.options = options;
        this.delay = delay;
        this.random = random ?? Random.Shared.NextDouble;
        this.logger = logger ?? NullLogger.Instance;
    }

    /// <summary>A retry that never waits, for tests.</summary>
    public static AwsRetry Immediate(int maxAttempts = 6) =>
        new(new AwsRetryOptions { MaxAttempts = maxAttempts }, (_, _) => Task.CompletedTask);

    /// <summary>
    /// Runs <paramref name="call"/>; retries transient errors and errors whose code is in
    /// <paramref name="alsoRetryCodes"/> (e.g. <c>InvalidInstanceID.NotFound</c> right after RunInstances).
    /// </summary>
    public async Task<T> RunAsync<T>(
        string operation,
        Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        params IReadOnlyCollection<string> alsoRetryCodes)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception error) when (IsRetryable(error, alsoRetryCodes) && !cancellationToken.IsCancellationRequested)
            {
                if (attempt >= options.MaxAttempts)
                {
                    throw new AwsTransientError(
                        $"{operation} still failing after {attempt} attempts: {error.Message}", error);
                }

                var wait = Backoff(attempt);
                RetryLog.Retrying(logger, operation, AwsErrors.CodeOf(error), attempt, options.MaxAttempts, Math.Round(wait.TotalMilliseconds), error.Message);
                await delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="RunAsync{T}"/> for calls without a result.</summary>
    public Task RunAsync(
        string operation,
        Func<CancellationToken, Task> call,
        CancellationToken cancellationToken,
        params IReadOnlyCollection<string> alsoRetryCodes)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync<bool>(
            operation,
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken,
            alsoRetryCodes);
    }

    /// <summary>Full jitter: uniformly random in [0, min(cap, base·2^(attempt-1))].</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var exponent = Math.Min(attempt - 1, 30);
        var ceiling = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(ceiling * random());
    }

    private static bool IsRetryable(Exception error, IReadOnlyCollection<string> alsoRetryCodes) =>
        AwsErrors.IsTransient(error) || (alsoRetryCodes.Count > 0 && AwsErrors.HasCode(error, alsoRetryCodes));
}
