using System.Text;
using Bakery.BuildFiles.Settings;

namespace Bakery.BuildFiles.Tests.Settings;

/// <summary><c>lifecycle</c> in Bakery's settings: what it accepts, and each refusal naming the file, the place and the fix.</summary>
public sealed class LifecycleSettingsTests
{
    private const string File = "web.bakery.json";

    private static BakerySettingsResult Load(string json) => BakerySettingsLoader.Load(File, Encoding.UTF8.GetBytes(json));

    private static string OnlyError(string json)
    {
        var result = Load(json);
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors).ToString();
    }

    [Fact]
    public void Every_setting_is_read_as_written()
    {
        var result = Load("""
            {"lifecycle": {"family": "web/{{build_name}}", "keep": 2, "action": "disable", "deprecate_at": "2027-06-30T12:00:00Z",
                           "protect_newest": true, "dry_run": true}}
            """);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        var lifecycle = result.Settings!.Lifecycle!;
        Assert.Equal(2, lifecycle.Keep);
        Assert.Equal(LifecycleAction.Disable, lifecycle.Action);
        Assert.Equal(new DateTimeOffset(2027, 6, 30, 12, 0, 0, TimeSpan.Zero), lifecycle.DeprecateAt);
        Assert.True(lifecycle.ProtectNewest);
        Assert.True(lifecycle.DryRun);
        Assert.Equal("web/nginx", LifecycleFamilies.Render(lifecycle.Family, "builds/web.json", "nginx"));
        Assert.False(result.Settings.IsEmpty);
    }

    [Fact]
    public void Without_a_family_the_build_file_and_builder_name_it()
    {
        var lifecycle = Load("""{"lifecycle": {"keep": 3}}""").Settings!.Lifecycle!;

        Assert.Equal(LifecycleAction.Deregister, lifecycle.Action);
        Assert.False(lifecycle.DryRun);
        Assert.Equal("golden/amazon-ebs", LifecycleFamilies.Render(lifecycle.Family, "teams/a/golden.json", "amazon-ebs"));
        Assert.Equal("golden/amazon-ebs", LifecycleFamilies.Render(null, "golden.pkr.hcl", "amazon-ebs"));
    }

    [Fact]
    public void Keep_zero_is_refused_at_its_place_with_the_range()
    {
        var error = OnlyError("""{"lifecycle": {"keep": 0}}""");

        Assert.StartsWith("web.bakery.json:1:24: lifecycle.keep: keep is 0; it must be a whole number from 1 to 1000", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_action_suggests_the_one_it_resembles()
    {
        var error = OnlyError("""{"lifecycle": {"keep": 2, "action": "deregistr"}}""");

        Assert.Equal("web.bakery.json:1:37: lifecycle.action: action \"deregistr\" is not one of deregister, deprecate, disable (did you mean deregister?)", error);
    }

    [Fact]
    public void A_misspelt_key_is_refused_with_the_keys_lifecycle_may_hold()
    {
        var error = OnlyError("""{"lifecycle": {"keep": 2, "dryrun": true}}""");

        Assert.Contains("lifecycle.dryrun: unknown key \"dryrun\"", error, StringComparison.Ordinal);
        Assert.EndsWith("(did you mean dry_run?)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Both_deprecation_times_are_refused()
    {
        var error = OnlyError("""{"lifecycle": {"deprecate_after_days": 30, "deprecate_at": "2027-01-01"}}""");

        Assert.Contains("lifecycle.deprecate_at: deprecate_at and deprecate_after_days both set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_that_is_not_UTC_says_how_to_write_it()
    {
        var error = OnlyError("""{"lifecycle": {"deprecate_at": "30/06/2027"}}""");

        Assert.Contains("write it as \"2027-06-30T00:00:00Z\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_action_without_keep_and_a_lifecycle_that_does_nothing_are_refused()
    {
        Assert.Contains("but keep is not set", OnlyError("""{"lifecycle": {"action": "disable"}}"""), StringComparison.Ordinal);
        Assert.Contains("lifecycle does nothing", OnlyError("""{"lifecycle": {"dry_run": true}}"""), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web/{{region}}", "placeholder {{build_name}} only")]
    [InlineData("web family", "has ' '")]
    [InlineData("", "family is empty")]
    public void A_bad_family_is_refused_with_the_reason(string family, string reason)
    {
        var error = OnlyError("{\"lifecycle\": {\"keep\": 2, \"family\": \"" + family + "\"}}");

        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_console_lifecycle_wins_over_the_sidecar()
    {
        var sidecar = Load("""{"lifecycle": {"keep": 5}, "publish_parameter": {"name": "/a"}}""").Settings!;
        var input = Load("""{"lifecycle": {"keep": 2, "dry_run": true}}""").Settings!;

        var merged = input.Over(sidecar);

        Assert.Equal(2, merged.Lifecycle!.Keep);
        Assert.Equal("/a", merged.PublishParameter!.Name);
    }
}
