using Bakery.BuildFiles.Model;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Tests.Steps;

public class PollingTests
{
    [Fact]
    public void Without_aws_polling_the_waits_start_short_stay_at_four_seconds_for_ten_minutes_then_slow_down()
    {
        var delays = Enumerable.Range(0, 200).Select(attempt => Polling.NextDelay(attempt, null)).ToArray();

        Assert.Equal([2, 3, 4, 4], delays[..4]);
        Assert.All(delays[3..151], delay => Assert.Equal(4, delay));
        Assert.All(delays[151..], delay => Assert.Equal(30, delay));
        Assert.Equal(151, Polling.FastChecks);
        Assert.Equal(delays.Take(180).Sum(), Polling.SecondsWaited(180, null));
    }

    [Fact]
    public void Without_aws_polling_a_wait_gets_packers_ten_minutes_however_many_checks_that_takes()
    {
        // 2 + 3 + 4 × 148 = 597 s after 150 checks; the 151st reaches 601 s.
        Assert.Equal(597, Polling.SecondsWaited(150, null));
        Assert.False(Polling.Exhausted(150, null));
        Assert.True(Polling.Exhausted(151, null));
        Assert.Equal(600, Polling.Budget(null));
    }

    [Theory]
    [InlineData(15, 40, 40)]
    [InlineData(5, 3, 3)]
    [InlineData(60, 1, 1)]
    public void With_aws_polling_the_wait_is_exactly_max_attempts_checks_delay_seconds_apart(int delay, int attempts, int giveUpAt)
    {
        var polling = new AwsPolling { DelaySeconds = delay, MaxAttempts = attempts };

        Assert.All(Enumerable.Range(0, attempts + 2), attempt => Assert.Equal(delay, Polling.NextDelay(attempt, polling)));
        Assert.False(Polling.Exhausted(giveUpAt - 1, polling));
        Assert.True(Polling.Exhausted(giveUpAt, polling));
        Assert.Equal(delay * attempts, Polling.Budget(polling));
    }

    [Fact]
    public void Max_attempts_alone_keeps_packers_fifteen_second_meaning_as_a_time_budget()
    {
        // Packer reads max_attempts: 120 as 120 × 15 s = 30 min; the faster schedule must not shorten that.
        var polling = new AwsPolling { MaxAttempts = 120 };

        Assert.Equal(1800, Polling.Budget(polling));
        Assert.Equal(2, Polling.NextDelay(0, polling));
        Assert.False(Polling.Exhausted(190, polling));
        Assert.True(Polling.Exhausted(191, polling));
    }

    [Fact]
    public void Delay_seconds_alone_keeps_packers_forty_checks()
    {
        var polling = new AwsPolling { DelaySeconds = 30 };

        Assert.False(Polling.Exhausted(39, polling));
        Assert.True(Polling.Exhausted(40, polling));
    }
}
