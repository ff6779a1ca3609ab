using Bakery.Core.Exceptions;
using Bakery.Core.Triggers;

namespace Bakery.Core.Tests.Triggers;

public class TriggerNormalizerTests
{
    private static string Resource(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "resources", "triggers", name));

    [Fact]
    public void S3_object_created_event_names_the_uploaded_object()
    {
        var request = TriggerNormalizer.Normalize(Resource("s3-object-created.json"));

        Assert.Equal(TriggerKind.S3Upload, request.Kind);
        Assert.Equal("bakery-templates", request.Bucket);
        Assert.Equal("builds/nginx/my_test_build.json", request.Key);
        Assert.Equal("IYV3p45BT0ac8hjHg1houSdS1a.Mro8e", request.VersionId);
        Assert.Equal("b1946ac92492d2347c6235b4d2611184", request.ETag);
        Assert.Equal("00617F08299329D189", request.Sequencer);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero), request.EventTime);
        Assert.Empty(request.Vars);
    }

    [Fact]
    public void Scheduler_input_carries_template_vars_and_time()
    {
        var request = TriggerNormalizer.Normalize(Resource("scheduler.json"));

        Assert.Equal(TriggerKind.Schedule, request.Kind);
        Assert.Equal(("bakery-templates", "builds/nginx/my_test_build.json"), (request.Bucket!, request.Key!));
        Assert.Equal("1.2", request.Vars["version"]);
        Assert.Equal("3", request.Vars["count"]);
        Assert.Equal("true", request.Vars["debug"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero), request.ScheduledTime);
    }

    [Fact]
    public void Console_input_with_template_and_no_time_is_a_console_start()
    {
        var request = TriggerNormalizer.Normalize("""{"template":"s3://b/builds/k/k.json","except":["x"]}""");

        Assert.Equal(TriggerKind.Console, request.Kind);
        Assert.Equal(["x"], request.Except);
        Assert.Null(request.InlineBuildFile);
    }

    [Fact]
    public void Console_input_with_inline_build_file()
    {
        var request = TriggerNormalizer.Normalize(Resource("console-inline.json"));

        Assert.Equal(TriggerKind.Console, request.Kind);
        Assert.Null(request.Bucket);
        Assert.Equal("my-build-1", request.ExplicitBuildId);
        Assert.Equal(["amazon-ebs"], request.Only);
        Assert.True(request.InlineBuildFile!.Value.TryGetProperty("builders", out _));
        Assert.Equal("inline", request.SourceDescription);
    }

    [Theory]
    [InlineData("[]", "JSON array")]
    [InlineData("\"s3://b/k\"", "JSON string")]
    [InlineData("{}", "no properties")]
    [InlineData("""{"foo":1,"bar":2}""", "only 'foo', 'bar'")]
    [InlineData("{not json", "not JSON")]
    [InlineData("""{"detail-type":"Object Deleted","source":"aws.s3","detail":{}}""", "'Object Deleted'")]
    [InlineData("""{"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b"}}}""", "detail.object.key")]
    [InlineData("""{"template":"s3://b/builds/k/k.json","buildFile":{}}""", "exactly one")]
    [InlineData("""{"buildFile":[1]}""", "must be a JSON object")]
    [InlineData("""{"template":"https://b/k.json"}""", "s3://bucket/key URI")]
    [InlineData("""{"template":"s3://bucket-only"}""", "name a bucket and a key")]
    [InlineData("""{"template":"s3://b/builds/k/k.json","vars":{"a":{"b":1}}}""", "'vars.a' is a JSON object")]
    [InlineData("""{"template":"s3://b/builds/k/k.json","buildId":"../etc"}""", "'buildId' '../etc' is not valid")]
    [InlineData("""{"template":"s3://b/builds/k/k.json","scheduledTime":"yesterday"}""", "not an ISO 8601 time")]
    [InlineData("""{"template":42}""", "expected shape")]
    [InlineData("""{"template":"s3://b/staging/x/files/a.json"}""", "must name a build file under builds/")]
    [InlineData("""{"template":"s3://b/k.json"}""", "must name a build file under builds/")]
    [InlineData("""{"template":"s3://b/inline/1/build.json"}""", "must name a build file under builds/")]
    public void Anything_else_is_BuildInputInvalid_saying_why(string input, string expected)
    {
        var error = Assert.Throws<BuildInputInvalid>(() => TriggerNormalizer.Normalize(input));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
