using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Logging;
using Bakery.Testing;
using Microsoft.Extensions.Logging;

namespace Bakery.Core.Tests.Logging;

public sealed class RetryLogTests
{
    [Fact]
    public async Task Each_retry_is_a_Warning_naming_the_operation_the_attempt_and_the_wait()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Information, TimeProvider.System);
        var logger = provider.CreateLogger(typeof(AwsRetry).FullName!);
        var waits = new List<TimeSpan>();
        var retry = new AwsRetry(new AwsRetryOptions { MaxAttempts = 4 }, (wait, _) => { waits.Add(wait); return Task.CompletedTask; }, () => 0.5, logger);
        var calls = 0;

        using (LogScopes.Step(logger, "Launch", "b-7"))
        {
            await retry.RunAsync(
                "EC2 DescribeInstances",
                _ => ++calls < 3 ? throw new AmazonServiceException("Rate exceeded") { ErrorCode = "RequestLimitExceeded" } : Task.FromResult(1),
                CancellationToken.None);
        }

        var lines = LogLines.Parse(output);
        Assert.Equal(2, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            Assert.Equal("WARN", lines[i].Text("level"));
            Assert.Equal("EC2 DescribeInstances", lines[i].Text("operation"));
            Assert.Equal("RequestLimitExceeded", lines[i].Text("errorCode"));
            Assert.Equal((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), lines[i].Text("attempt"));
            Assert.Equal("4", lines[i].Text("maxAttempts"));
            Assert.Equal(waits[i].TotalMilliseconds, lines[i].GetProperty("delayMs").GetDouble());
            Assert.Equal("b-7", lines[i].Text("buildId"));
            Assert.Contains("Rate exceeded", lines[i].Text("message"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_call_that_succeeds_at_once_or_fails_for_good_logs_no_retry()
    {
        var output = new StringWriter();
        using var provider = new JsonLinesLoggerProvider(output, LogLevel.Trace, TimeProvider.System);
        var retry = new AwsRetry(new AwsRetryOptions(), (_, _) => Task.CompletedTask, logger: provider.CreateLogger("retry"));

        await retry.RunAsync("S3 GetObject", _ => Task.FromResult(1), CancellationToken.None);
        await Assert.ThrowsAsync<AmazonServiceException>(() =>
            retry.RunAsync<int>("S3 GetObject", _ => throw new AmazonServiceException("denied") { ErrorCode = "AccessDenied" }, CancellationToken.None));

        Assert.Empty(LogLines.Parse(output));
    }
}
