using Bakery.Core.Janitor;

namespace Bakery.Core.Tests.Janitor;

public class JanitorOptionsTests
{
    [Theory]
    [InlineData(null, new[] { "us-east-1" })]
    [InlineData("", new[] { "us-east-1" })]
    [InlineData("eu-west-1", new[] { "us-east-1", "eu-west-1" })]
    [InlineData(" eu-west-1, us-east-1 ,ap-south-1 ", new[] { "us-east-1", "eu-west-1", "ap-south-1" })]
    [InlineData("eu-west-1 eu-central-1", new[] { "us-east-1", "eu-west-1", "eu-central-1" })]
    public void The_janitor_sweeps_its_own_region_first_then_each_extra_region_once(string? extra, string[] expected)
    {
        Assert.Equal(expected, JanitorOptions.SweptRegions("us-east-1", extra));
    }
}
