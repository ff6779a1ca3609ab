using System.Text;
using Bakery.BuildFiles.Settings;

namespace Bakery.BuildFiles.Tests.Settings;

/// <summary><c>capacity</c> in NAME.bakery.json: what it accepts, and each refusal naming the file, the place and the fix.</summary>
public sealed class CapacitySettingsTests
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
    public void Fallback_types_keep_their_order_and_on_demand_fallback_is_read()
    {
        var result = Load("""{"capacity": {"fallback_instance_types": ["t3a.micro", "t2.micro"], "on_demand_fallback": true}}""");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal(["t3a.micro", "t2.micro"], result.Settings!.Capacity!.FallbackInstanceTypes);
        Assert.True(result.Settings.Capacity.OnDemandFallback);
        Assert.False(result.Settings.IsEmpty);
    }

    [Fact]
    public void On_demand_fallback_is_off_unless_asked_for()
    {
        var capacity = Load("""{"capacity": {"fallback_instance_types": ["t3a.micro"]}}""").Settings!.Capacity!;
        Assert.False(capacity.OnDemandFallback);
        Assert.Null(Load("""{"capacity": null}""").Settings!.Capacity);
    }

    [Fact]
    public void A_misspelt_capacity_key_is_refused_with_the_key_it_resembles()
    {
        var error = OnlyError("""{"capacity": {"fallback_instance_type": ["t3a.micro"]}}""");

        Assert.StartsWith("web.bakery.json:1:15: capacity.fallback_instance_type: unknown key", error, StringComparison.Ordinal);
        Assert.EndsWith("(did you mean fallback_instance_types?)", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"capacity": {"fallback_instance_types": ["T3 Micro"]}}""", "web.bakery.json:1:43: capacity.fallback_instance_types[0]: \"T3 Micro\" is not an EC2 instance type")]
    [InlineData("""{"capacity": {"fallback_instance_types": ["t3.micro", "t3.micro"]}}""", "capacity.fallback_instance_types[1]: \"t3.micro\" is listed twice")]
    [InlineData("""{"capacity": {"fallback_instance_types": "t3.micro"}}""", "capacity.fallback_instance_types: fallback_instance_types must be an array such as")]
    [InlineData("""{"capacity": {"fallback_instance_types": [3]}}""", "fallback_instance_types holds instance type names such as \"t3a.micro\", not a number")]
    [InlineData("""{"capacity": {"on_demand_fallback": "yes"}}""", "capacity.on_demand_fallback: on_demand_fallback must be true or false")]
    [InlineData("""{"capacity": ["t3.micro"]}""", "capacity: capacity must be an object such as")]
    public void Bad_capacity_values_say_where_and_what_to_write(string json, string fragment) =>
        Assert.Contains(fragment, OnlyError(json), StringComparison.Ordinal);

    [Fact]
    public void The_inputs_capacity_replaces_the_sidecars()
    {
        var sidecar = Load("""{"capacity": {"fallback_instance_types": ["t2.micro"]}, "publish_parameter": {"name": "/a"}}""").Settings!;
        var input = Load("""{"capacity": {"fallback_instance_types": ["t3a.micro"]}}""").Settings!;

        var merged = input.Over(sidecar);

        Assert.Equal(["t3a.micro"], merged.Capacity!.FallbackInstanceTypes);
        Assert.Equal("/a", merged.PublishParameter!.Name);
    }
}
