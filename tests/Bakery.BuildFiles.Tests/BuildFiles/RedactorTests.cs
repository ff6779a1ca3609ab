namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// The redactor's forms that no oracle on this machine prints (RedactionOracleTests in Bakery.Core.Tests runs real
/// bash, dash, Python and pwsh): a multi-line secret cut into lines and printed with Windows line ends.
/// </summary>
public sealed class RedactorTests
{
    private const string Key = "-----BEGIN KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\nKUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQ==\n-----END KEY-----";

    [Fact]
    public void A_multi_line_secret_is_masked_whole_with_either_line_end_and_line_by_line()
    {
        var redactor = new Redactor([Key]);

        Assert.Equal("[<sensitive>]", redactor.Redact($"[{Key.Replace("\n", "\r\n", StringComparison.Ordinal)}]"));
        var lines = Key.Split('\n');
        var printedApart = string.Join("\n", lines.Select((line, i) => $"{i}: {line}"));
        var masked = redactor.Redact(printedApart);
        Assert.All(lines, line => Assert.DoesNotContain(line, masked, StringComparison.Ordinal));
    }

    [Fact]
    public void Lines_of_a_secret_too_short_to_be_told_from_other_output_are_not_masked_alone()
    {
        var redactor = new Redactor(["a\nlongerline"]);

        Assert.Equal("a b <sensitive>", redactor.Redact("a b longerline"));
    }

    [Fact]
    public void A_secret_inside_another_is_masked_as_part_of_the_longer_one()
    {
        var redactor = new Redactor(["pa's", "pa'sword"]);

        Assert.Equal("x='<sensitive>' y='<sensitive>'", redactor.Redact("x='pa'\\''sword' y='pa'\\''s'"));
    }
}
