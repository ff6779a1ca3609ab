using Bakery.Core.Bundles;
using System.Text;
using System.Text.Json;
using Bakery.BuildFiles.Model;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Core.Triggers;

namespace Bakery.Core.Tests.Steps.Prepare;

/// <summary>
/// Where Prepare finds Bakery's settings: the stack's defaults (BakeryDefaults), under the sidecar (NAME.bakery.json or
/// NAME.bakery.hcl, never both), under the console input's "bakery"; each checked with the same rules and messages.
/// </summary>
public sealed class SettingsReaderTests
{
    private const string Bucket = StepTestStates.Bucket;
    private static readonly BuildSource Source = new() { Bucket = Bucket, Key = "builds/web/web.json", Prefix = "builds/web/" };
    private static readonly S3BundleFiles Bundle = new("builds/web/", []);

    private static readonly BuildDefinition Definition = new() { FilePath = "web.json", Builds = [], RunUuid = "run" };

    [Fact]
    public async Task Stack_defaults_apply_where_the_sidecar_and_the_input_set_nothing_and_lose_where_they_do()
    {
        var aws = new FakeAws();
        aws.Store.Objects[$"{Bucket}/builds/web/web.bakery.json"] = Encoding.UTF8.GetBytes("""{"capacity": {"fallback_instance_types": ["t2.micro"]}}""");
        var reader = Reader(aws, """{"capacity": {"on_demand_fallback": true}, "publish_parameter": {"name": "/golden/{{build_name}}"}}""");

        var settings = await reader.ReadAsync(Request(), Source, Definition, Bundle, CancellationToken.None);

        Assert.Equal("/golden/{{build_name}}", settings!.PublishParameter!.Name);
        // A key of the sidecar replaces the default's whole group, as the input's replaces the sidecar's.
        Assert.Equal(["t2.micro"], settings.Capacity!.FallbackInstanceTypes);
        Assert.False(settings.Capacity.OnDemandFallback);

        var overInput = await reader.ReadAsync(
            Request("""{"publish_parameter": {"name": "/mine/{{build_name}}"}}"""), Source, Definition, Bundle, CancellationToken.None);
        Assert.Equal("/mine/{{build_name}}", overInput!.PublishParameter!.Name);
    }

    [Fact]
    public async Task Bad_stack_defaults_refuse_the_build_naming_the_parameter_and_the_place()
    {
        var reader = Reader(new FakeAws(), """{"capacity": {"on_demand_fallbak": true}}""");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => reader.ReadAsync(Request(), Source, Definition, Bundle, CancellationToken.None));

        Assert.Contains("the stack's BakeryDefaults:1:15: capacity.on_demand_fallbak: unknown key", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean on_demand_fallback?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hcl_sidecar_is_read_and_its_problems_are_reported_at_its_lines()
    {
        var aws = new FakeAws();
        aws.Store.Objects[$"{Bucket}/builds/web/web.bakery.hcl"] = Encoding.UTF8.GetBytes("capacity {\n  on_demand_fallback = true\n}\n");
        var settings = await Reader(aws, null).ReadAsync(Request(), Source, Definition, Bundle, CancellationToken.None);
        Assert.True(settings!.Capacity!.OnDemandFallback);

        aws.Store.Objects[$"{Bucket}/builds/web/web.bakery.hcl"] = Encoding.UTF8.GetBytes("capacity {\n  on_demand_fallback = \"yes\"\n}\n");
        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Reader(aws, null).ReadAsync(Request(), Source, Definition, Bundle, CancellationToken.None));
        Assert.Contains($"s3://{Bucket}/builds/web/web.bakery.hcl:2:3: capacity.on_demand_fallback: on_demand_fallback must be true or false", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_file_with_both_sidecars_is_refused()
    {
        var aws = new FakeAws();
        aws.Store.Objects[$"{Bucket}/builds/web/web.bakery.json"] = Encoding.UTF8.GetBytes("{}");
        aws.Store.Objects[$"{Bucket}/builds/web/web.bakery.hcl"] = Encoding.UTF8.GetBytes("");

        var error = await Assert.ThrowsAsync<BuildFileInvalid>(() => Reader(aws, null).ReadAsync(Request(), Source, Definition, Bundle, CancellationToken.None));

        Assert.Contains("web.bakery.json and", error.Message, StringComparison.Ordinal);
        Assert.Contains("web.bakery.hcl are both Bakery's settings for one build file: keep one", error.Message, StringComparison.Ordinal);
    }

    private static SettingsReader Reader(FakeAws aws, string? defaults) =>
        new(aws.Objects, StepTestStates.Retry(), StepTestStates.Configuration with { DefaultSettings = defaults });

    private static BuildRequest Request(string? bakery = null) => new()
    {
        Kind = TriggerKind.Console,
        Bucket = Bucket,
        Key = Source.Key,
        Settings = bakery is null ? null : JsonDocument.Parse(bakery).RootElement.Clone(),
    };
}
