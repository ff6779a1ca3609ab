using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>Teardown of a failed builder whose image exists: the image and its live copies stay for a resume, the rest goes.</summary>
public class TeardownResumeHoldTests
{
    private static (FakeAws Aws, BakeState State) FailedAfterTheImage(string error = "ShareFailed")
    {
        var aws = new FakeAws();
        aws.ImagesById["ami-1"] = new ImageDescription("ami-1", "available") { SnapshotIds = ["snap-1"] };
        aws.Snapshots.Add("snap-1");
        aws.ImagesById["ami-copy"] = new ImageDescription("ami-copy", "available") { SnapshotIds = ["snap-copy"] };
        aws.Snapshots.Add("snap-copy");
        aws.ImagesById["ami-failedcopy"] = new ImageDescription("ami-failedcopy", "failed") { SnapshotIds = ["snap-failedcopy"] };
        aws.Snapshots.Add("snap-failedcopy");
        var state = StepTestStates.Nginx() with
        {
            Image = new ImageInfo { Region = "us-east-1", ImageId = "ami-1", State = "available", SnapshotIds = ["snap-1"] },
            Copies =
            [
                new ImageInfo { Region = "us-east-1", ImageId = "ami-copy", State = "available", SnapshotIds = ["snap-copy"] },
                new ImageInfo { Region = "us-east-1", ImageId = "ami-failedcopy", State = "failed" },
            ],
            Created = new CreatedResources
            {
                Images = ["us-east-1:ami-1", "us-east-1:ami-copy", "us-east-1:ami-failedcopy"],
                Snapshots = ["us-east-1:snap-1", "us-east-1:snap-copy", "us-east-1:snap-failedcopy"],
            },
            Error = new ErrorInfo { Error = error, Cause = "refused" },
        };
        return (aws, state);
    }

    [Fact]
    public async Task A_failure_after_the_image_keeps_the_image_and_its_live_copies_with_their_snapshots_and_marks_the_builder_resumable()
    {
        var (aws, state) = FailedAfterTheImage();

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.True(done.Wait!.Done);
        Assert.Equal(["ami-1", "ami-copy"], aws.ImagesById.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["snap-1", "snap-copy"], aws.Snapshots.Order(StringComparer.Ordinal));
        Assert.Equal(ResumeInfo.FromTagImage, done.Resume?.From);
        Assert.Equal(["us-east-1:ami-1", "us-east-1:ami-copy"], done.Created.Images);
        Assert.Equal(["us-east-1:ami-failedcopy"], done.Removed!.Images);
    }

    [Theory]
    [InlineData("Interrupted", "available")]
    [InlineData("ImageFailed", "pending")]
    public async Task An_interrupted_build_or_an_image_not_yet_available_is_not_kept(string error, string imageState)
    {
        var (aws, state) = FailedAfterTheImage(error);
        state = state with { Image = state.Image! with { State = imageState } };

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.Empty(aws.ImagesById);
        Assert.Empty(aws.Snapshots);
        Assert.Null(done.Resume);
    }

    private static BakeState Tested(BakeState state, bool? passed) => state with
    {
        Settings = new BakerySettings { TestImage = new TestImageSettings() },
        Test = passed is null
            ? null
            : new ImageTestInfo { Instance = new InstanceInfo { InstanceId = "i-test" }, Phase = ImageTestPhases.Finished, Passed = passed },
    };

    [Fact]
    public async Task An_image_that_failed_its_test_is_a_verdict_and_is_not_kept_for_a_resume()
    {
        var (aws, state) = FailedAfterTheImage(nameof(ImageTestFailed));
        state = Tested(state, passed: false);

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.Empty(aws.ImagesById);
        Assert.Null(done.Resume);
    }

    [Fact]
    public async Task An_image_whose_test_could_not_run_is_kept_to_be_tested_again()
    {
        var (aws, state) = FailedAfterTheImage("StepTimedOut");
        state = Tested(state, passed: null);

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.Equal(["ami-1", "ami-copy"], aws.ImagesById.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(ResumeInfo.FromTestImage, done.Resume?.From);
    }

    [Fact]
    public async Task An_image_that_passed_its_test_continues_after_it()
    {
        var (aws, state) = FailedAfterTheImage();
        state = Tested(state, passed: true);

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.Equal(ResumeInfo.FromTagImage, done.Resume?.From);
    }
}
