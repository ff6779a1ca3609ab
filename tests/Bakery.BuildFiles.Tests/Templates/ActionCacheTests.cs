using Bakery.BuildFiles.Templates;
using Bakery.BuildFiles.Templates.Internal;
using CsCheck;

namespace Bakery.BuildFiles.Tests.Templates;

/// <summary>The per-load action cache renders and fails exactly as parsing each string with the full parser does.</summary>
public class ActionCacheTests
{
    private static readonly string[] Fragments =
    [
        "plain ", "x", " ", "{{", "}}", "{{user `name`}}", "{{ user `region` | upper }}", "{{timestamp}}", "{{build_name}}",
        "{{ .SourceAMI }}", "{{ build `ID` }}", "{{- user `name` -}}", "{{/* c */}}", "{{ \"a}}b\" }}", "{{ `x}}y` }}", "{{-3}}",
        "{{ user `nope` }}", "{{ env `HOME` }}", "{{ nosuch }}", "{{ user }}", "{{ replace \"a\" \"b\" 1 \"aab\" }}",
        "{{ split \"a-b\" \"-\" 5 }}", "{{ lower (user `name`) }}", "{{ uuid }}", "{{ 1 }}", "{{ .Vars.x }}", "}", "{", "-", "`", "\"",
        "{{ isotime \"2006\" }}", "{{ clean_resource_name \"a b\" }}", "{{ (build `X`) }}", "{{ user `empty` }}", "{{ if }}", "{{ . }}",
    ];

    [Theory]
    [InlineData("no actions")]
    [InlineData("{{user `name`}}")]
    [InlineData("a {{user `name`}} b {{user `region`}} c")]
    [InlineData("{{ .SourceAMI }}-{{timestamp}}")]
    [InlineData("x {{ user `nope` }}")]
    [InlineData("{{ user `name` }} {{ nosuch }}")]
    [InlineData("a {{- user `name` -}} b")]
    [InlineData("{{ \"a}}b\" }}")]
    [InlineData("{{ user `name`")]
    public void Renders_like_the_full_parser(string template)
    {
        foreach (var defer in new[] { false, true })
        {
            AssertSame(template, defer);
        }
    }

    [Fact]
    public void Random_templates_render_and_fail_like_the_full_parser() =>
        Gen.Int[0, Fragments.Length - 1].Array[1, 8].Select(Gen.Bool)
            .Sample(sample => AssertSame(string.Concat(sample.Item1.Select(i => Fragments[i])), sample.Item2), iter: 3000);

    [Fact]
    public void Evaluates_nothing_when_a_later_action_does_not_parse()
    {
        var calls = 0;
        var context = new TemplateContext { UserVariable = name => { calls++; return name; } };

        Assert.Throws<TemplateSyntaxException>(() => new ActionCache().Render("{{user `a`}} {{ nosuch }}", context));

        Assert.Equal(0, calls);
    }

    private static void AssertSame(string template, bool defer)
    {
        var context = TestContexts.Build(defer: defer, environment: _ => "env");
        var (expected, expectedError) = Outcome(() => TemplateParser.Parse(template).Render(context));
        var cache = new ActionCache();
        // Twice: the second render reads the actions from the cache.
        for (var i = 0; i < 2; i++)
        {
            var (actual, actualError) = Outcome(() => cache.Render(template, context));
            Assert.Equal(expected, actual);
            Assert.Equal(expectedError?.GetType(), actualError?.GetType());
            Assert.Equal(expectedError?.Message, actualError?.Message);
            Assert.Equal(expectedError?.Offset, actualError?.Offset);
        }
    }

    private static (string? Result, TemplateException? Error) Outcome(Func<string> render)
    {
        try
        {
            return (render(), null);
        }
        catch (TemplateException exception)
        {
            return (null, exception);
        }
    }
}
