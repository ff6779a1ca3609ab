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
}
