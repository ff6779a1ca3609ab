using Amazon.S3.Model;
using Bakery.Core.Triggers;
using Bakery.Local.StandIn;

namespace Bakery.EndToEnd.Tests.Cli;

public sealed class LocalUploadTriggerTests
{
    [Theory]
    [InlineData("builds/web/web.json", false, true)]
    [InlineData("builds/web/web.vars.json", false, true)] // the rule matches it too; Prepare skips var files
    [InlineData("builds/web/scripts/setup.sh", false, false)]
    [InlineData("builds/web/web.pkr.hcl", false, true)]
    [InlineData("builds/web/web.pkrvars.hcl", false, false)]
    [InlineData("builds/web/web.JSON", false, false)] // EventBridge wildcards are case-sensitive
    [InlineData("other/web.json", false, false)]
    [InlineData("builds/web/web.json", true, false)]
    public void Plays_the_rules_pattern_builds_star_json(string key, bool deleteMarker, bool triggers)
    {
        Assert.Equal(triggers, LocalUploadTrigger.Triggers(new S3ObjectVersion { Key = key, IsDeleteMarker = deleteMarker }));
    }

    [Fact]
    public void Its_event_is_what_prepare_reads_as_an_upload_with_a_stable_identity()
    {
        var time = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var sequencer = ObjectCreatedEvents.Sequencer(time, 7);

        var request = TriggerNormalizer.Normalize(
            ObjectCreatedEvents.Create("bakery-local", "builds/my web/web.json", 42, "\"abc\"", "v-1", sequencer, "us-east-1", time));
        var again = TriggerNormalizer.Normalize(
            ObjectCreatedEvents.Create("bakery-local", "builds/my web/web.json", 42, "\"abc\"", "v-1", sequencer, "us-east-1", time));

        Assert.Equal(TriggerKind.S3Upload, request.Kind);
        Assert.Equal("bakery-local", request.Bucket);
        Assert.Equal("builds/my%20web/web.json", request.Key);
        Assert.Equal("v-1", request.VersionId);
        Assert.Equal("abc", request.ETag);
        Assert.Equal(sequencer, request.Sequencer);
        Assert.Equal(time, request.EventTime);
        // A duplicate delivery of one upload is the same build.
        Assert.Equal(BuildIds.Identify(request, Guid.NewGuid).BuildId, BuildIds.Identify(again, Guid.NewGuid).BuildId);
    }
}
