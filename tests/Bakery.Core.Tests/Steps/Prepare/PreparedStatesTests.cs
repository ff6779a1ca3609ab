using Bakery.Core.Bake;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Prepare;

namespace Bakery.Core.Tests.Steps.Prepare;

public sealed class PreparedStatesTests
{
    private static readonly BuildSource Source = new() { Bucket = "b", Key = "builds/w/w.json", Prefix = "builds/w/" };

    private static BakeState Build(long deadline, params string[] staged) => new()
    {
        BuildId = "id",
        Created = new CreatedResources { StagedKeys = staged },
        DeadlineEpochSeconds = deadline,
    };

    [Fact]
    public void A_key_two_builds_share_is_left_to_the_build_level_teardown()
    {
        var timing = new StepTiming(StepNames.Prepare, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(3));

        var prepared = PreparedStates.Assemble("id", Source, "staging/id/", [Build(100, "shared", "a-only"), Build(200, "shared", "b-only")], timing);

        Assert.Equal(["shared", "a-only", "b-only"], prepared.Created.StagedKeys);
        Assert.Equal(["a-only"], prepared.Builds![0].Created.StagedKeys);
        Assert.Equal(["b-only"], prepared.Builds[1].Created.StagedKeys);
        Assert.Equal(200, prepared.DeadlineEpochSeconds);
        Assert.All(prepared.Builds, build => Assert.Equal([timing], build.Timings));
        Assert.All(prepared.Builds, build => Assert.Equal(Bakery.Core.Steps.Internal.HistoryEvents.ShareFor(2), build.History));
    }
}
