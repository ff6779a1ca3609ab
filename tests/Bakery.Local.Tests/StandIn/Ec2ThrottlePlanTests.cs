using Bakery.Local.Aws;

namespace Bakery.Functions.Tests.StandIn;

public class Ec2ThrottlePlanTests
{
    [Fact]
    public void A_third_throttles_every_third_call_and_nothing_else()
    {
        var plan = Ec2ThrottlePlan.Parse("1/3");

        Assert.Equal([3L, 6, 9, 12], Enumerable.Range(1, 12).Select(n => (long)n).Where(plan.Throttles));
    }

    [Theory]
    [InlineData("0.33")]
    [InlineData("33%")]
    [InlineData(" 33/100 ")]
    public void A_fraction_throttles_exactly_that_share_spread_evenly(string text)
    {
        var plan = Ec2ThrottlePlan.Parse(text);
        var throttled = Enumerable.Range(1, 300).Where(n => plan.Throttles(n)).ToList();

        Assert.Equal(99, throttled.Count);
        // Evenly: never two in a row, never more than 4 calls apart.
        Assert.All(throttled.Zip(throttled.Skip(1), (a, b) => b - a), gap => Assert.InRange(gap, 3, 4));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("0/5")]
    public void Unset_or_zero_throttles_nothing(string? setting)
    {
        var plan = Ec2ThrottlePlan.FromSetting(setting);

        Assert.False(plan.IsActive);
        Assert.DoesNotContain(Enumerable.Range(1, 100), n => plan.Throttles(n));
    }

    [Theory]
    [InlineData("a third")]
    [InlineData("3/2")]
    [InlineData("1.5")]
    [InlineData("150%")]
    [InlineData("-0.1")]
    [InlineData("1/0")]
    public void Anything_else_is_refused_naming_the_variable(string text)
    {
        var error = Assert.Throws<FormatException>(() => Ec2ThrottlePlan.Parse(text));

        Assert.Contains(Ec2ThrottlePlan.EnvironmentVariable, error.Message, StringComparison.Ordinal);
    }
}
