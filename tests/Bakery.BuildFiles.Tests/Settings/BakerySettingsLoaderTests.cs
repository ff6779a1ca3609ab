using System.Text;
using Bakery.BuildFiles.Settings;

namespace Bakery.BuildFiles.Tests.Settings;

/// <summary>The sidecar's schema: what it accepts, and every refusal naming the file, the place and the fix.</summary>
public sealed class BakerySettingsLoaderTests
{
    private const string File = "web.bakery.json";

    private static BakerySettingsResult Load(string json) => BakerySettingsLoader.Load(File, Encoding.UTF8.GetBytes(json));

    private static string OnlyError(string json)
    {
        var result = Load(json);
        Assert.False(result.IsValid);
        Assert.Null(result.Settings);
        return Assert.Single(result.Errors).ToString();
    }

    [Fact]
    public void A_parameter_name_with_placeholders_is_read_as_written()
    {
        var result = Load("""{"_comment": "golden images", "publish_parameter": {"name": "/golden/{{build_name}}/{{ region }}/latest"}}""");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("/golden/{{build_name}}/{{ region }}/latest", result.Settings!.PublishParameter!.Name);
        Assert.Equal("/golden/web/eu-west-1/latest", ParameterNames.Render(result.Settings.PublishParameter.Name, "web", "eu-west-1"));
    }

    [Fact]
    public void An_empty_object_or_a_null_publish_parameter_sets_nothing()
    {
        Assert.True(Load("{}").Settings!.IsEmpty);
        Assert.True(Load("""{"publish_parameter": null}""").Settings!.IsEmpty);
    }

    [Fact]
    public void A_misspelt_key_is_refused_at_its_place_with_the_key_it_resembles()
    {
        var error = OnlyError("{\n  \"publish_paramter\": {\"name\": \"/a\"}\n}");

        Assert.Equal("web.bakery.json:2:3: publish_paramter: unknown key \"publish_paramter\" (Bakery's settings may hold publish_parameter, capacity, lifecycle, test_image) (did you mean publish_parameter?)", error);
    }

    [Fact]
    public void A_misspelt_key_inside_publish_parameter_is_refused_with_its_path()
    {
        var error = OnlyError("""{"publish_parameter": {"name": "/a", "nmae": "/b"}}""");

        Assert.StartsWith("web.bakery.json:1:38: publish_parameter.nmae: unknown key \"nmae\"", error, StringComparison.Ordinal);
        Assert.EndsWith("(did you mean name?)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_name_says_what_to_write()
    {
        var error = OnlyError("""{"publish_parameter": {}}""");

        Assert.Equal("web.bakery.json:1:23: publish_parameter.name: name is required: the parameter's name, e.g. \"/golden/{{build_name}}/latest\"", error);
    }

    [Theory]
    [InlineData("""{"publish_parameter": "/golden/web"}""", "publish_parameter must be an object such as")]
    [InlineData("""{"publish_parameter": {"name": 7}}""", "name must be a string, not a number")]
    [InlineData("""["publish_parameter"]""", "Bakery's settings are a JSON object")]
    public void A_value_of_the_wrong_kind_is_refused_with_an_example(string json, string expected)
    {
        Assert.Contains(expected, OnlyError(json), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("golden/web", "must be a path starting with '/'")]
    [InlineData("/golden/{{build}}", "unknown placeholder {{build}}: a name may use {{build_name}} and {{region}}")]
    [InlineData("/golden/web latest", "has ' ': SSM parameter names hold letters, digits and _ . - / only")]
    [InlineData("/aws/web", "starts with \"aws\", which SSM reserves")]
    [InlineData("/SSM-images/web", "starts with \"SSM\", which SSM reserves")]
    [InlineData("/golden//web", "has an empty level")]
    [InlineData("/golden/web/", "has an empty level")]
    [InlineData("/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", "has 16 levels; SSM allows at most 15")]
    public void A_name_SSM_would_refuse_is_refused_before_any_build(string name, string expected)
    {
        var error = OnlyError("{\"publish_parameter\": {\"name\": \"" + name + "\"}}");

        Assert.StartsWith("web.bakery.json:1:32: publish_parameter.name: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_longer_than_SSM_allows_is_refused()
    {
        var error = OnlyError("{\"publish_parameter\": {\"name\": \"/" + new string('a', ParameterNames.MaxLength) + "\"}}");

        Assert.Contains("is 1012 characters; SSM allows at most 1011", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_JSON_is_reported_at_its_place_like_a_broken_build_file()
    {
        var error = OnlyError("{\n  \"publish_parameter\": {\"name\": \"/a\",}\n}");

        Assert.StartsWith("web.bakery.json:2:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var result = Load("""{"publish": 1, "publish_parameter": {"name": "x", "labels": []}}""");

        Assert.Equal(3, result.Errors.Count);
    }

    [Theory]
    [InlineData("builds/web/web.json", "builds/web/web.bakery.json")]
    [InlineData("web.pkr.hcl", "web.bakery.json")]
    [InlineData("/tmp/Web.JSON", "/tmp/Web.bakery.json")]
    public void The_sidecar_sits_beside_the_build_file_with_its_stem(string buildFile, string sidecar)
    {
        Assert.Equal(sidecar, BakerySettingsLoader.SidecarPathOf(buildFile));
        Assert.True(BakerySettingsLoader.IsSidecar(sidecar));
        Assert.False(BakerySettingsLoader.IsSidecar(buildFile));
    }

    [Fact]
    public void A_console_input_s_settings_win_over_the_sidecar_s_where_set()
    {
        var sidecar = new BakerySettings { PublishParameter = new PublishParameterSettings { Name = "/a" } };

        Assert.Equal("/a", BakerySettings.None.Over(sidecar).PublishParameter!.Name);
        Assert.Equal("/b", new BakerySettings { PublishParameter = new PublishParameterSettings { Name = "/b" } }.Over(sidecar).PublishParameter!.Name);
    }
}
