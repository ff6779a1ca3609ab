using Bakery.Core.Bake;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

public class ImageTaggerTests
{
    [Fact]
    public async Task An_image_and_its_snapshots_get_the_tags_snapshot_tags_override_for_snapshots_and_the_bakery_tags_win()
    {
        var aws = new FakeAws();
        var state = StepTestStates.Nginx();
        var builder = state.Build!.Builder with
        {
            Tags = new Dictionary<string, string> { ["source"] = "packer", ["bakery:managed"] = "false" },
            SnapshotTags = new Dictionary<string, string> { ["source"] = "snap" },
        };
        var image = new ImageInfo { ImageId = "ami-1", Region = "eu-west-1", SnapshotIds = ["snap-1", "snap-2"] };

        await new ImageTagger(aws, StepTestStates.Retry()).TagAsync(state, builder, image, CancellationToken.None);

        Assert.Equal(("packer", "true", "build-1"), (aws.Tags["ami-1"]["source"], aws.Tags["ami-1"]["bakery:managed"], aws.Tags["ami-1"]["bakery:build-id"]));
        Assert.All(new[] { "snap-1", "snap-2" }, id => Assert.Equal(("snap", "true"), (aws.Tags[id]["source"], aws.Tags[id]["bakery:managed"])));
        Assert.Equal(2, aws.Calls["CreateTags"]);
    }

    [Fact]
    public async Task An_image_without_snapshots_is_tagged_in_one_call()
    {
        var aws = new FakeAws();
        var state = StepTestStates.Nginx();
        var image = new ImageInfo { ImageId = "ami-2", Region = "us-east-1" };

        await new ImageTagger(aws, StepTestStates.Retry()).TagAsync(state, state.Build!.Builder, image, CancellationToken.None);

        Assert.Equal(1, aws.Calls["CreateTags"]);
        Assert.Equal("packer", aws.Tags["ami-2"]["source"]);
    }
}
