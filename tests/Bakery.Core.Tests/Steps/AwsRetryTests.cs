using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Tests.Steps;

public class AwsRetryTests
{
    private static AmazonServiceException Error(string code) => new("x") { ErrorCode = code };

    [Fact]
    public async Task Throttling_then_success_returns_the_result_after_jittered_waits()
    {
        var waits = new List<TimeSpan>();
        var retry = new AwsRetry(new AwsRetryOptions { MaxAttempts = 5 }, (wait, _) => { waits.Add(wait); return Task.CompletedTask; }, () => 0.5);
        var calls = 0;
        var result = await retry.RunAsync("Op", _ => ++calls < 3 ? throw Error("RequestLimitExceeded") : Task.FromResult(42), CancellationToken.None);
        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        Assert.Equal([TimeSpan.FromMilliseconds(125), TimeSpan.FromMilliseconds(250)], waits);
    }

    [Fact]
    public async Task Exhausted_retries_become_AwsTransientError_with_the_cause()
    {
        var retry = AwsRetry.Immediate(3);
        var calls = 0;
        var error = await Assert.ThrowsAsync<AwsTransientError>(
            () => retry.RunAsync<int>("DescribeImages", _ => { calls++; throw Error("Throttling"); }, CancellationToken.None));
        Assert.Equal(3, calls);
        Assert.Contains("DescribeImages", error.Message, StringComparison.Ordinal);
        Assert.Equal("Throttling", ((AmazonServiceException)error.InnerException!).ErrorCode);
    }

    [Fact]
    public async Task Other_errors_pass_through_at_once_unless_named_for_this_call()
    {
        var retry = AwsRetry.Immediate(3);
        var calls = 0;
        await Assert.ThrowsAsync<AmazonServiceException>(
            () => retry.RunAsync<int>("Op", _ => { calls++; throw Error("InvalidInstanceID.NotFound"); }, CancellationToken.None));
        Assert.Equal(1, calls);

        calls = 0;
        var result = await retry.RunAsync(
            "Op", _ => ++calls < 2 ? throw Error("InvalidInstanceID.NotFound") : Task.FromResult("ok"), CancellationToken.None, "InvalidInstanceID.NotFound");
        Assert.Equal("ok", result);
    }

    [Fact]
    public void Backoff_is_capped()
    {
        var retry = new AwsRetry(new AwsRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) }, (_, _) => Task.CompletedTask, () => 0.999999);
        Assert.True(retry.Backoff(20) <= TimeSpan.FromSeconds(8));
        Assert.True(retry.Backoff(20) > TimeSpan.FromSeconds(7.9));
        Assert.True(retry.Backoff(1) <= TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Waits_grow_exponentially_up_to_the_cap_and_stay_there()
    {
        var waits = new List<TimeSpan>();
        var retry = new AwsRetry(
            new AwsRetryOptions { MaxAttempts = 9, BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(8) },
            (wait, _) => { waits.Add(wait); return Task.CompletedTask; },
            () => 1.0 - 1e-12);

        await Assert.ThrowsAsync<AwsTransientError>(() => retry.RunAsync<int>("Op", _ => throw Error("RequestLimitExceeded"), CancellationToken.None));

        Assert.Equal([250, 500, 1000, 2000, 4000, 8000, 8000, 8000], waits.Select(w => Math.Round(w.TotalMilliseconds)));
    }

    [Fact]
    public async Task Each_wait_is_the_random_share_of_its_ceiling_so_equal_attempts_wait_differently()
    {
        // Full jitter: the wait is uniformly anywhere in [0, ceiling], not ceiling ± a little.
        var options = new AwsRetryOptions { MaxAttempts = 7, BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(8) };
        var seeded = new Random(20261124);
        var draws = new List<double>();
        var waits = new List<TimeSpan>();
        var retry = new AwsRetry(options, (wait, _) => { waits.Add(wait); return Task.CompletedTask; }, () =>
        {
            var draw = seeded.NextDouble();
            draws.Add(draw);
            return draw;
        });

        for (var call = 0; call < 20; call++)
        {
            await Assert.ThrowsAsync<AwsTransientError>(() => retry.RunAsync<int>("Op", _ => throw Error("RequestLimitExceeded"), CancellationToken.None));
        }

        Assert.Equal(20 * 6, waits.Count);
        // The ceilings are the spec (Waits_grow_exponentially_up_to_the_cap_and_stay_there); within each retry number
        // the wait is inside [0, ceiling], and a larger draw never waits less: the draw, not the clock, decides.
        double[] ceilings = [250, 500, 1000, 2000, 4000, 8000];
        for (var retryNumber = 0; retryNumber < 6; retryNumber++)
        {
            var sameRetry = Enumerable.Range(0, waits.Count).Where(i => i % 6 == retryNumber).Select(i => (Draw: draws[i], Wait: waits[i].TotalMilliseconds)).ToList();
            Assert.All(sameRetry, pair => Assert.InRange(pair.Wait, 0, ceilings[retryNumber]));
            var byDraw = sameRetry.OrderBy(pair => pair.Draw).Select(pair => pair.Wait).ToList();
            Assert.Equal(byDraw.Order(), byDraw);
        }

        // Spread over the whole range, not ceiling ± a little.
        var firstRetries = waits.Where((_, i) => i % 6 == 0).Select(w => w.TotalMilliseconds).ToList();
        Assert.True(firstRetries.Distinct().Count() > 15, "the first retries of different calls must not wait in lockstep");
        Assert.True(firstRetries.Min() < ceilings[0] / 4 && firstRetries.Max() > ceilings[0] * 3 / 4, $"first retries waited {string.Join(", ", firstRetries)} ms");
    }

    [Fact]
    public async Task The_default_options_wait_at_most_7_75_seconds_in_all_before_giving_up()
    {
        var waits = new List<TimeSpan>();
        var retry = new AwsRetry(new AwsRetryOptions(), (wait, _) => { waits.Add(wait); return Task.CompletedTask; }, () => 1.0 - 1e-12);
        var calls = 0;

        await Assert.ThrowsAsync<AwsTransientError>(() => retry.RunAsync<int>("Op", _ => { calls++; throw Error("RequestLimitExceeded"); }, CancellationToken.None));

        Assert.Equal(6, calls);
        Assert.InRange(waits.Sum(w => w.TotalMilliseconds), 7749, 7750);
    }
}
