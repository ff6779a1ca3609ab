using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Tests.Templates;

public class TemplateValueTests
{
    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(1.0, "1")]
    [InlineData(123456.0, "123456")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1e21, "1e+21")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.1, "0.1")]
    public void FloatsPrintAsGoPercentV(double value, string expected)
    {
        Assert.Equal(expected, TemplateValue.FromFloat(value).ToString());
    }

    [Fact]
    public void CompositeValuesPrintAsGo()
    {
        var map = TemplateValue.FromMap(new Dictionary<string, TemplateValue>
        {
            ["b"] = TemplateValue.FromInteger(2),
            ["a"] = TemplateValue.FromList([TemplateValue.True, "x"]),
        });

        Assert.Equal("map[a:[true x] b:2]", map.ToString());
        Assert.Equal("<no value>", TemplateValue.Nil.ToString());
        Assert.Equal("false", TemplateValue.False.ToString());
    }

    [Fact]
    public void EqualityFollowsValues()
    {
        Assert.Equal(TemplateValue.FromString("a"), (TemplateValue)"a");
        Assert.Equal(TemplateValue.FromInteger(2), TemplateValue.FromFloat(2.0));
        Assert.Equal(TemplateValue.FromInteger(2).GetHashCode(), TemplateValue.FromFloat(2.0).GetHashCode());
        Assert.NotEqual(TemplateValue.FromString("1"), TemplateValue.FromInteger(1));
    }
}
