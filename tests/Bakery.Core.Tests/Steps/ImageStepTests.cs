using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

public class ImageStepTests
{
    private static BakeState Stopped(FakeAws aws)
    {
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "stopped");
        return StepTestStates.Nginx() with { Instance = new InstanceInfo { InstanceId = "i-1", State = "stopped" }, Created = new CreatedResources { InstanceIds = ["i-1"] } };
    }

    [Fact]
    public async Task Image_is_recorded_at_once_then_waited_for_until_available()
    {
        var aws = new FakeAws { NewImageState = "pending" };
        var step = new CreateImageStep(aws, StepTestStates.Retry());
        var waiting = await step.RunAsync(Stopped(aws), CancellationToken.None);
        Assert.False(waiting.Wait!.Done);
        var imageId = waiting.Image!.ImageId;
        Assert.Equal([$"us-east-1:{imageId}"], waiting.Created.Images);
        Assert.Equal("packer.my_test_machine.1700000000", waiting.Image.Name);

        aws.ImagesById[imageId] = aws.ImagesById[imageId] with { State = "available" };
        var done = await step.RunAsync(waiting, CancellationToken.None);
        Assert.True(done.Wait!.Done);
        Assert.Single(done.Created.Snapshots);
        Assert.Single(aws.ImagesById);
        // Tagged at CreateImage (TagSpecifications), with no CreateTags call after: EC2 authorizes the tags at creation.
        var snapshot = Assert.Single(aws.ImagesById[imageId].SnapshotIds);
        Assert.Equal("true", aws.Tags[snapshot]["bakery:managed"]);
        Assert.False(aws.Calls.ContainsKey("CreateTags"));
    }

    [Fact]
    public async Task Failed_image_is_ImageFailed_with_the_reason()
    {
        var aws = new FakeAws { NewImageState = "pending" };
        var step = new CreateImageStep(aws, StepTestStates.Retry());
        var waiting = await step.RunAsync(Stopped(aws), CancellationToken.None);
        aws.ImagesById[waiting.Image!.ImageId] = aws.ImagesById[waiting.Image.ImageId] with { State = "failed", StateReason = "Client.InternalError" };
        var error = await Assert.ThrowsAsync<ImageFailed>(() => step.RunAsync(waiting, CancellationToken.None));
        Assert.Contains("Client.InternalError", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_in_state_and_not_yet_visible_are_retried_inside_the_step()
    {
        var aws = new FakeAws();
        aws.Fail("CreateImage", "IncorrectInstanceState");
        aws.Fail("DescribeImages", "InvalidAMIID.NotFound");
        var step = new CreateImageStep(aws, StepTestStates.Retry());
        var done = await step.RunAsync(Stopped(aws), CancellationToken.None);
        Assert.True(done.Wait!.Done);
        Assert.Equal(2, aws.Calls["CreateImage"]);
    }

    [Fact]
    public async Task Force_deregister_removes_the_older_image_of_the_same_name()
    {
        var aws = new FakeAws();
        aws.ImagesById["ami-old"] = new ImageDescription("ami-old", "available") { Name = "packer.my_test_machine.1700000000", SnapshotIds = ["snap-old"] };
        aws.Snapshots.Add("snap-old");
        var state = Stopped(aws);
        state = state with { Build = state.Build! with { Builder = state.Build.Builder with { ForceDeregister = true, ForceDeleteSnapshot = true } } };
        var done = await new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);
        Assert.DoesNotContain("ami-old", aws.ImagesById.Keys);
        Assert.DoesNotContain("snap-old", aws.Snapshots);
        Assert.NotEqual("ami-old", done.Image!.ImageId);
    }

    [Fact]
    public async Task Force_deregister_looks_in_each_of_ami_regions_then_the_build_region_before_the_image_is_made()
    {
        // Packer's StepDeregisterAMI: regions := append(ami_regions, build region), each with its own client, before
        // StepCreateAMI. The old image lives in the first region asked here; its snapshot goes with that region's client.
        var aws = new FakeAws();
        aws.ImagesById["ami-old"] = new ImageDescription("ami-old", "available") { Name = "packer.my_test_machine.1700000000", SnapshotIds = ["snap-old"] };
        aws.Snapshots.Add("snap-old");
        var state = Stopped(aws);
        state = state with
        {
            Build = state.Build! with
            {
                Builder = state.Build.Builder with { ForceDeregister = true, ForceDeleteSnapshot = true, AmiRegions = ["eu-west-1", "us-west-2"] },
            },
        };

        await new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        const string name = "packer.my_test_machine.1700000000";
        Assert.Equal(
            [
                $"FindImages us-east-1 {name}", // this build's own image from a retried call, by name and tags
                $"FindImages eu-west-1 {name}", "DeregisterImage eu-west-1 ami-old", "DeleteSnapshot eu-west-1 snap-old",
                $"FindImages us-west-2 {name}",
                $"FindImages us-east-1 {name}",
                $"CreateImage {name}",
            ],
            aws.ImageLog.TakeWhile(line => !line.StartsWith("CreateImage", StringComparison.Ordinal)).Append(aws.ImageLog.First(line => line.StartsWith("CreateImage", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task TagImage_tags_the_image_and_snapshots_with_rendered_and_bakery_tags()
    {
        var aws = new FakeAws();
        var created = await new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(Stopped(aws), CancellationToken.None);
        created = created with { Build = created.Build! with { Builder = created.Build.Builder with { SnapshotTags = new Dictionary<string, string> { ["source"] = "snap" } } } };
        aws.Fail("CreateTags", "InvalidAMIID.NotFound");
        await new TagImageStep(aws, StepTestStates.Retry()).RunAsync(created, CancellationToken.None);

        var imageTags = aws.Tags[created.Image!.ImageId];
        Assert.Equal("packer", imageTags["source"]);
        Assert.Equal("ami-cd0f5cb6", imageTags["base"]);
        Assert.Equal("build-1", imageTags["bakery:build-id"]);
        var snapshotTags = aws.Tags[created.Image.SnapshotIds[0]];
        Assert.Equal("snap", snapshotTags["source"]);
        Assert.Equal("true", snapshotTags["bakery:managed"]);
    }

    [Fact]
    public async Task CopyImage_copies_to_other_regions_waits_and_tags_copies()
    {
        var aws = new FakeAws();
        var created = await new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(Stopped(aws), CancellationToken.None);
        created = created with { Build = created.Build! with { Builder = created.Build.Builder with { AmiRegions = ["us-east-1", "eu-west-1"] } } };
        aws.NewImageState = "pending";
        var step = new CopyImageStep(aws, StepTestStates.Retry());
        var waiting = await step.RunAsync(created, CancellationToken.None);
        var copy = Assert.Single(waiting.Copies);
        Assert.Equal("eu-west-1", copy.Region);
        Assert.False(waiting.Wait!.Done);
        // Tagged while still pending: a copy a dead build started is the janitor's to find.
        Assert.Equal(("build-1", "true"), (aws.Tags[copy.ImageId]["bakery:build-id"], aws.Tags[copy.ImageId]["bakery:managed"]));

        aws.ImagesById[copy.ImageId] = aws.ImagesById[copy.ImageId] with { State = "available" };
        var done = await step.RunAsync(waiting, CancellationToken.None);
        Assert.True(done.Wait!.Done);
        Assert.Equal("build-1", aws.Tags[copy.ImageId]["bakery:build-id"]);
        Assert.Equal(1, aws.Calls["CopyImage"]);
    }

    [Fact]
    public async Task A_retried_CreateImage_whose_first_answer_was_lost_finds_its_own_image_instead_of_clashing_with_its_name()
    {
        var aws = new FakeAws { NewImageState = "pending" };
        var step = new CreateImageStep(aws, StepTestStates.Retry());
        var stopped = Stopped(aws);
        var lost = await step.RunAsync(stopped, CancellationToken.None);

        // The workflow retries the Lambda with the same input: its state does not know the image.
        var retried = await step.RunAsync(stopped, CancellationToken.None);

        Assert.Equal(lost.Image!.ImageId, retried.Image!.ImageId);
        Assert.Equal([$"us-east-1:{lost.Image.ImageId}"], retried.Created.Images);
        Assert.Equal(1, aws.Calls["CreateImage"]);
        Assert.Equal("build-1", aws.Tags[lost.Image.ImageId]["bakery:build-id"]);
    }

    [Fact]
    public async Task An_image_of_the_same_name_from_another_build_is_still_a_clash()
    {
        var aws = new FakeAws();
        aws.ImagesById["ami-other"] = new ImageDescription("ami-other", "available") { Name = "packer.my_test_machine.1700000000" };
        aws.Tags["ami-other"] = new() { ["bakery:build-id"] = "build-0", ["bakery:builder"] = "amazon-ebs", ["bakery:managed"] = "true" };
        var step = new CreateImageStep(aws, StepTestStates.Retry());

        var error = await Assert.ThrowsAsync<ImageFailed>(() => step.RunAsync(Stopped(aws), CancellationToken.None));

        Assert.Contains("InvalidAMIName.Duplicate", error.Message, StringComparison.Ordinal);
    }
}
