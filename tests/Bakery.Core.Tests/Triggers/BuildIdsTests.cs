using Bakery.Core.Triggers;

namespace Bakery.Core.Tests.Triggers;

public class BuildIdsTests
{
    private static readonly Func<Guid> NoGuid = () => throw new InvalidOperationException("a deterministic trigger must not need a guid");

    private static BuildRequest Upload(string sequencer, string? versionId = "v1") => new()
    {
        Kind = TriggerKind.S3Upload,
        Bucket = "bucket",
        Key = "builds/nginx/My Test_Build.json",
        VersionId = versionId,
        ETag = "etag",
        Sequencer = sequencer,
    };

    [Fact]
    public void A_duplicate_delivery_of_one_upload_gets_the_same_id()
    {
        var first = BuildIds.Identify(Upload("00617F08299329D189"), NoGuid);
        var second = BuildIds.Identify(Upload("00617F08299329D189"), NoGuid);

        Assert.Equal(first, second);
        Assert.True(first.Deduplicated);
        Assert.Matches("^my-test-build-[0-9a-f]{16}$", first.BuildId);
    }

    [Fact]
    public void A_new_upload_of_the_same_key_is_a_new_build()
    {
        Assert.NotEqual(BuildIds.Identify(Upload("0061"), NoGuid).BuildId, BuildIds.Identify(Upload("0062"), NoGuid).BuildId);
        Assert.NotEqual(BuildIds.Identify(Upload("0061", "v1"), NoGuid).BuildId, BuildIds.Identify(Upload("0061", "v2"), NoGuid).BuildId);
    }

    [Fact]
    public void A_schedule_firing_is_identified_by_its_time()
    {
        BuildRequest Firing(int hour) => new()
        {
            Kind = TriggerKind.Schedule,
            Bucket = "b",
            Key = "builds/x.json",
            ScheduledTime = new DateTimeOffset(2026, 11, 24, hour, 0, 0, TimeSpan.Zero),
        };

        Assert.Equal(BuildIds.Identify(Firing(6), NoGuid), BuildIds.Identify(Firing(6), NoGuid));
        Assert.NotEqual(BuildIds.Identify(Firing(6), NoGuid).BuildId, BuildIds.Identify(Firing(7), NoGuid).BuildId);
    }

    [Fact]
    public void An_explicit_build_id_is_used_as_is()
    {
        var identity = BuildIds.Identify(new BuildRequest { Kind = TriggerKind.Console, ExplicitBuildId = "release-42" }, NoGuid);

        Assert.Equal("release-42", identity.BuildId);
        Assert.True(identity.Deduplicated);
    }

    [Fact]
    public void A_console_start_without_id_is_always_new()
    {
        var request = new BuildRequest { Kind = TriggerKind.Console, Bucket = "b", Key = "k.json" };
        var first = BuildIds.Identify(request, Guid.NewGuid);
        var second = BuildIds.Identify(request, Guid.NewGuid);

        Assert.False(first.Deduplicated);
        Assert.NotEqual(first.BuildId, second.BuildId);
        Assert.StartsWith("k-", first.BuildId, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a", true)]
    [InlineData("release-1.2_3", true)]
    [InlineData("", false)]
    [InlineData("-leading", false)]
    [InlineData("has/slash", false)]
    [InlineData("has space", false)]
    public void Explicit_ids_are_safe_for_tags_and_keys(string id, bool valid) => Assert.Equal(valid, BuildIds.IsValidExplicit(id));
}
