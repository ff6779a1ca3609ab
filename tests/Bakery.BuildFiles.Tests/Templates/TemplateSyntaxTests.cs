using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Tests.Templates;

public class TemplateSyntaxTests
{
    [Fact]
    public void PlainStringIsReturnedAsIs()
    {
        var source = "ami-name with } and { braces";
        var parsed = TemplateParser.Parse(source);

        Assert.False(parsed.HasActions);
        Assert.Same(source, parsed.Render(TestContexts.Build()));
        Assert.Empty(parsed.ReferencedFunctions);
    }

    [Theory]
    [InlineData("{{ \"a\\\"b\" }}", "a\"b")]
    [InlineData("{{ \"tab\\tnew\\nline\" }}", "tab\tnew\nline")]
    [InlineData("{{ \"\\x41\\u00e9\\U0001F600\" }}", "Aé😀")]
    [InlineData("{{ \"\\303\\251\" }}", "é")]
    [InlineData("{{ \"\\xc3\\xa9\" }}", "é")]
    [InlineData("{{ \"\\a\\b\\f\\v\\\\\" }}", "\a\b\f\v\\")]
    [InlineData("{{ `raw \\n {{ not an action }}` }}", "raw \\n {{ not an action }}")]
    [InlineData("{{ `multi\nline` }}", "multi\nline")]
    [InlineData("{{ 42 }}", "42")]
    [InlineData("{{ -7 }}", "-7")]
    [InlineData("{{ +7 }}", "7")]
    [InlineData("{{ 0x1F }}", "31")]
    [InlineData("{{ 0o17 }}", "15")]
    [InlineData("{{ 017 }}", "15")]
    [InlineData("{{ 0b101 }}", "5")]
    [InlineData("{{ 1_000 }}", "1000")]
    [InlineData("{{ 1.5 }}", "1.5")]
    [InlineData("{{ 1e6 }}", "1e+06")]
    [InlineData("{{ 'a' }}", "97")]
    [InlineData("{{ '\\n' }}", "10")]
    [InlineData("{{ 'é' }}", "233")]
    [InlineData("{{ true }} {{ false }}", "true false")]
    public void LiteralsPrintAsGoPrintsThem(string template, string expected)
    {
        Assert.Equal(expected, TestContexts.Render(template));
    }

    [Theory]
    [InlineData("{{ user `name` | lower }}", "my-image")]
    [InlineData("{{ user \"name\" | lower | upper }}", "MY-IMAGE")]
    [InlineData("{{ \"ABC\" | lower | printf \"%s-x\" }}", "abc-x")]
    [InlineData("{{ replace_all \"-\" \"_\" (lower (user `name`)) }}", "my_image")]
    [InlineData("{{ (user `name`) }}", "My-Image")]
    [InlineData("{{ (user `name` | upper) | lower }}", "my-image")]
    [InlineData("{{ split (user `region`) \"-\" 1 }}", "west")]
    [InlineData("{{ printf \"%s-%s\" (user `name`) timestamp }}", "My-Image-1709967909")]
    [InlineData("{{user `name`}}", "My-Image")]
    [InlineData("{{\nuser\t`name`\r\n}}", "My-Image")]
    public void PipelinesAndParenthesesCompose(string template, string expected)
    {
        Assert.Equal(expected, TestContexts.Render(template));
    }

    [Theory]
    [InlineData("a  {{- \"x\" -}}  b", "axb")]
    [InlineData("a \n\t {{- \"x\" }} b", "ax b")]
    [InlineData("a {{ \"x\" -}} \n b", "a xb")]
    [InlineData("a {{-3}} b", "a -3 b")]
    [InlineData("a {{ 3 }} b", "a 3 b")]
    [InlineData("a{{/* a comment */}}b", "ab")]
    [InlineData("a {{- /* trimmed comment */ -}} b", "ab")]
    [InlineData("{{/* only a comment */}}", "")]
    public void TrimMarkersAndCommentsFollowGo(string template, string expected)
    {
        Assert.Equal(expected, TestContexts.Render(template));
    }

    [Fact]
    public void ReferencedFunctionsAreListedOnceInOrder()
    {
        var parsed = TemplateParser.Parse("{{ user `a` | lower }}-{{ timestamp }}-{{ user `b` }}-{{ upper (env `X`) }}");

        Assert.True(parsed.HasActions);
        Assert.Equal(["user", "lower", "timestamp", "upper", "env"], parsed.ReferencedFunctions);
        Assert.False(parsed.UsesBuildTimeData);
    }

    [Theory]
    [InlineData("abc {{ user `x`", 4, "unclosed action")]
    [InlineData("{{ user `x` }} and {{", 19, "unclosed action")]
    [InlineData("{{ timestmp }}", 3, "function \"timestmp\" is not defined; did you mean \"timestamp\"?")]
    [InlineData("{{ isoTime }}", 3, "did you mean \"isotime\"?")]
    [InlineData("{{ user_variable `x` }}", 3, "function \"user_variable\" is not defined")]
    [InlineData("{{ clean_ami_name `x` }}", 3, "renamed it to \"clean_resource_name\"")]
    [InlineData("{{ lower }}", 3, "wrong number of arguments for lower: it takes 1 argument, got 0")]
    [InlineData("{{ lower \"a\" \"b\" }}", 3, "got 2")]
    [InlineData("{{ \"a\" | lower \"b\" }}", 9, "wrong number of arguments for lower")]
    [InlineData("{{ split \"a\" \"-\" }}", 3, "usage: split STRING SEPARATOR INDEX")]
    [InlineData("{{ isotime \"a\" \"b\" }}", 3, "0 to 1 arguments")]
    [InlineData("{{ lower user }}", 9, "wrong number of arguments for user")]
    [InlineData("{{ \"abc }}", 3, "unterminated quoted string")]
    [InlineData("{{ \"a\nb\" }}", 3, "unterminated quoted string")]
    [InlineData("{{ `abc }}", 3, "unterminated raw string")]
    [InlineData("{{ \"a\\qb\" }}", 5, "unknown escape sequence \\q")]
    [InlineData("{{ \"\\x4\" }}", 4, "\\x needs exactly 2 hexadecimal digits")]
    [InlineData("{{ \"\\400\" }}", 4, "octal escape value above")]
    [InlineData("{{ 'ab' }}", 3, "malformed character constant")]
    [InlineData("{{ 1x }}", 3, "bad number syntax: 1x")]
    [InlineData("{{ 0x }}", 3, "bad number syntax")]
    [InlineData("{{ 99999999999999999999 }}", 3, "bad number syntax")]
    [InlineData("{{ 1i }}", 3, "complex number")]
    [InlineData("{{ if true }}x{{ end }}", 3, "{{if}} is not supported")]
    [InlineData("{{ range . }}{{ end }}", 3, "{{range}} is not supported")]
    [InlineData("{{ $x := 1 }}", 3, "template variables ($name) are not supported")]
    [InlineData("{{ }}", 3, "missing value for command")]
    [InlineData("{{ user `a` | }}", 14, "missing command after |")]
    [InlineData("{{ (lower \"a\" }}", 3, "unclosed left paren")]
    [InlineData("{{ lower \"a\") }}", 12, "unexpected ) in action")]
    [InlineData("{{ \"a\" \"b\" }}", 7, "can't give argument to non-function \"a\"")]
    [InlineData("{{ \"a\" | \"b\" }}", 9, "cannot receive a piped value")]
    [InlineData("{{ nil }}", 3, "nil is not a command")]
    [InlineData("{{ lower 5 }}", 9, "lower expects a string as argument 1, found 5")]
    [InlineData("{{ split \"a\" \"-\" \"1\" }}", 17, "split expects an integer as argument 3")]
    [InlineData("{{ split \"a\" \"-\" 1.5 }}", 17, "split expects an integer as argument 3, found 1.5")]
    [InlineData("{{ lower\"a\" }}", 8, "unexpected '\"' after lower")]
    [InlineData("{{ \"a\".Field }}", 6, "unexpected . after \"a\"")]
    [InlineData("{{/* unclosed comment }}", 2, "unclosed comment")]
    [InlineData("{{/* c */ x }}", 9, "comment ends before closing delimiter")]
    [InlineData("{{ user `a` ; }}", 12, "unexpected ';' in action")]
    public void SyntaxErrorsCarryTheOffsetOfTheProblem(string template, int offset, string message)
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => TemplateParser.Parse(template));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void UnknownNameFarFromEveryFunctionGetsNoSuggestion()
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => TemplateParser.Parse("{{ frobnicate }}"));

        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeeplyNestedParenthesesAreAnErrorNotACrash()
    {
        var template = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";

        var error = Assert.Throws<TemplateSyntaxException>(() => TemplateParser.Parse(template));

        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ModeratelyNestedParenthesesWork()
    {
        var template = "{{ " + new string('(', 50) + "user `name`" + new string(')', 50) + " }}";

        Assert.Equal("My-Image", TestContexts.Render(template));
    }
}
