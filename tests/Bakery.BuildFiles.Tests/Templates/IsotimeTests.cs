using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Tests.Templates;

/// <summary>Go layouts against Saturday 2024-03-09 07:05:09.120 UTC (day 69 of a leap year).</summary>
public class IsotimeTests
{
    [Theory]
    [InlineData("2006-01-02T15:04:05Z07:00", "2024-03-09T07:05:09Z")]
    [InlineData("2006-01-02", "2024-03-09")]
    [InlineData("20060102150405", "20240309070509")]
    [InlineData("2006", "2024")]
    [InlineData("06", "24")]
    [InlineData("_2006", "_2024")]
    [InlineData("Jan", "Mar")]
    [InlineData("January", "March")]
    [InlineData("1", "3")]
    [InlineData("01", "03")]
    [InlineData("Mon", "Sat")]
    [InlineData("Monday", "Saturday")]
    [InlineData("2", "9")]
    [InlineData("_2", " 9")]
    [InlineData("02", "09")]
    [InlineData("002", "069")]
    [InlineData("__2", " 69")]
    [InlineData("15", "07")]
    [InlineData("3", "7")]
    [InlineData("03", "07")]
    [InlineData("4", "5")]
    [InlineData("04", "05")]
    [InlineData("5", "9")]
    [InlineData("05", "09")]
    [InlineData("PM", "AM")]
    [InlineData("pm", "am")]
    [InlineData("MST", "UTC")]
    [InlineData("-0700", "+0000")]
    [InlineData("-07:00", "+00:00")]
    [InlineData("-07", "+00")]
    [InlineData("-070000", "+000000")]
    [InlineData("-07:00:00", "+00:00:00")]
    [InlineData("Z0700", "Z")]
    [InlineData("Z07:00", "Z")]
    [InlineData("Z07", "Z")]
    [InlineData(".000", ".120")]
    [InlineData(".000000", ".120000")]
    [InlineData(".000000000", ".120000000")]
    [InlineData(",000", ",120")]
    [InlineData(".999", ".12")]
    [InlineData(".9", ".1")]
    [InlineData("05.999999999", "09.12")]
    [InlineData("3:04PM", "7:05AM")]
    [InlineData("Mon Jan _2 15:04:05 MST 2006", "Sat Mar  9 07:05:09 UTC 2024")]
    [InlineData("02 Jan 06 15:04 -0700", "09 Mar 24 07:05 +0000")]
    [InlineData("2006-01-02 03:04:05", "2024-03-09 07:05:09")]
    [InlineData("Janet Monkey", "Janet Monkey")]
    [InlineData("1.5", "3.9")]
    [InlineData("0.0", "0.1")]
    [InlineData("no tokens here", "no tokens here")]
    [InlineData("", "")]
    public void GoLayoutTokensAreConvertedFaithfully(string layout, string expected)
    {
        var template = "{{ isotime `" + layout + "` }}";

        Assert.Equal(expected, TestContexts.Render(template));
    }

    [Fact]
    public void NoArgumentIsRfc3339InUtc()
    {
        Assert.Equal("2024-03-09T07:05:09Z", TestContexts.Render("{{ isotime }}"));
    }

    [Fact]
    public void LocalTimesAreFormattedInUtcAsPackerDoes()
    {
        var context = new TemplateContext { Now = new DateTimeOffset(2024, 12, 31, 23, 30, 0, TimeSpan.FromHours(-2)) };

        Assert.Equal("2025-01-01T01:30:00Z", TemplateParser.Parse("{{ isotime }}").Render(context));
    }

    [Theory]
    [InlineData("3:04 PM", "11:59 PM")]
    [InlineData("002", "366")]
    [InlineData("__2", "366")]
    [InlineData("_2 2", "31 31")]
    [InlineData(".999", "")]
    [InlineData("05.000", "59.000")]
    public void LateInTheYearAndWholeSeconds(string layout, string expected)
    {
        var context = new TemplateContext { Now = new DateTimeOffset(2024, 12, 31, 23, 59, 59, TimeSpan.Zero) };

        Assert.Equal(expected, TemplateParser.Parse("{{ isotime `" + layout + "` }}").Render(context));
    }

    [Fact]
    public void MidnightIsTwelveOnTheTwelveHourClock()
    {
        var context = new TemplateContext { Now = new DateTimeOffset(2024, 1, 1, 0, 7, 0, TimeSpan.Zero) };

        Assert.Equal("12:07AM", TemplateParser.Parse("{{ isotime `3:04PM` }}").Render(context));
    }

    [Theory]
    [InlineData("%Y-%m-%d %H:%M:%S", "2024-03-09 07:05:09")]
    [InlineData("%a %A %b %B %y %p %Z %z", "Sat Saturday Mar March 24 AM UTC +0000")]
    [InlineData("%I%L", "07.120")]
    [InlineData("100%% %q", "100% %q")]
    [InlineData("trailing %", "trailing %")]
    public void StrftimeUsesGoStrftimeDirectives(string format, string expected)
    {
        Assert.Equal(expected, TestContexts.Render("{{ strftime `" + format + "` }}"));
    }
}
