using Bakery.BuildFiles.Templates;

namespace Bakery.BuildFiles.Tests.Templates;

public class DeferralTests
{
    private static readonly Dictionary<string, TemplateValue> Data = new(StringComparer.Ordinal)
    {
        ["SourceAMI"] = "ami-0123456789abcdef0",
        ["BuildRegion"] = "EU-WEST-1",
        ["SourceAMIName"] = "ubuntu/images/jammy",
        ["SourceAMITags"] = TemplateValue.FromStringMap(new Dictionary<string, string> { ["Name"] = "base", ["Team"] = "core" }),
        ["Count"] = TemplateValue.FromInteger(3),
    };

    [Theory]
    [InlineData("ami-{{ .SourceAMI }}")]
    [InlineData("{{ .SourceAMITags.Name }}")]
    [InlineData("from {{ .SourceAMIName | lower }} in {{.BuildRegion}}")]
    [InlineData("{{ build `ID` }}")]
    [InlineData("{{ printf `%s-%s` .BuildRegion (build `ID`) }}")]
    public void BuildTimeDataIsKeptVerbatimWhenDeferred(string template)
    {
        var parsed = TemplateParser.Parse(template);

        Assert.True(parsed.UsesBuildTimeData);
        Assert.Equal(template, parsed.Render(TestContexts.Build(defer: true)));
    }

    [Fact]
    public void OnlyTheActionsThatNeedBuildTimeDataAreDeferred()
    {
        var rendered = TestContexts.Render(
            "{{ user `name` | lower }}-{{ .BuildRegion | lower }}-{{ timestamp }}",
            TestContexts.Build(defer: true));

        Assert.Equal("my-image-{{ .BuildRegion | lower }}-1709967909", rendered);
    }

    [Fact]
    public void DeferredTextRendersLaterToWhatItWouldHaveBeen()
    {
        var template = "a {{- .SourceAMI -}} b {{ user `name` }}";

        var deferred = TestContexts.Render(template, TestContexts.Build(defer: true));
        var later = TestContexts.Render(deferred, TestContexts.Build(data: Data));

        Assert.Equal("a{{- .SourceAMI -}}b My-Image", deferred);
        Assert.Equal("aami-0123456789abcdef0b My-Image", later);
        Assert.Equal(TestContexts.Render(template, TestContexts.Build(data: Data)), later);
    }

    [Theory]
    [InlineData("ami-{{ .SourceAMI }}", "ami-ami-0123456789abcdef0")]
    [InlineData("{{ .SourceAMITags.Name }}/{{ .SourceAMITags.Team }}", "base/core")]
    [InlineData("{{ .SourceAMITags.Missing }}", "<no value>")]
    [InlineData("{{ .SourceAMITags }}", "map[Name:base Team:core]")]
    [InlineData("{{ index .SourceAMITags `Team` }}", "core")]
    [InlineData("{{ len .SourceAMITags }}", "2")]
    [InlineData("{{ .BuildRegion | lower }}", "eu-west-1")]
    [InlineData("{{ .Count }}", "3")]
    public void BuildTimeDataRendersWhenProvided(string template, string expected)
    {
        Assert.Equal(expected, TestContexts.Render(template, TestContexts.Build(data: Data, defer: true)));
    }

    [Fact]
    public void DataPresentButKeyMissingIsStillDeferred()
    {
        var context = TestContexts.Build(data: new Dictionary<string, TemplateValue> { ["BuildRegion"] = "x" }, defer: true);

        Assert.Equal("x {{ .SourceAMI }}", TestContexts.Render("{{ .BuildRegion }} {{ .SourceAMI }}", context));
    }

    [Fact]
    public void BuildRendersWhenTheValueIsKnown()
    {
        var context = TestContexts.Build(build: name => name == "ID" ? "i-0abc" : null, defer: true);

        Assert.Equal("i-0abc {{ build `Other` }}", TestContexts.Render("{{ build `ID` }} {{ build `Other` }}", context));
    }

    [Theory]
    [InlineData("ami-{{ .SourceAMI }}", 7, "{{ .SourceAMI }} is not available here")]
    [InlineData("{{ build `ID` }}", 3, "build `ID` is not available here")]
    public void BuildTimeDataWithoutDeferralIsAnError(string template, int offset, string message)
    {
        var error = Assert.Throws<TemplateEvaluationException>(() => TestContexts.Render(template));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void FieldOfAStringIsAnError()
    {
        var error = Assert.Throws<TemplateEvaluationException>(
            () => TestContexts.Render("{{ .SourceAMI.Id }}", TestContexts.Build(data: Data)));

        Assert.Contains("can't evaluate field Id in type string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReferencedFieldsNameTheTopLevelData()
    {
        var parsed = TemplateParser.Parse("{{ .SourceAMITags.Name }} {{ .BuildRegion }} {{ .SourceAMITags.Team }}");

        Assert.Equal(["SourceAMITags", "BuildRegion"], parsed.ReferencedFields);
        Assert.Empty(parsed.ReferencedFunctions);
    }

    [Fact]
    public void ExecuteCommandDataRenders()
    {
        var data = new Dictionary<string, TemplateValue> { ["Vars"] = "A=1 B=2", ["Path"] = "/tmp/script.sh" };

        var rendered = TestContexts.Render("chmod +x {{ .Path }}; {{ .Vars }} {{ .Path }}", TestContexts.Build(data: data));

        Assert.Equal("chmod +x /tmp/script.sh; A=1 B=2 /tmp/script.sh", rendered);
    }
}
