using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Resume;
using Bakery.Core.Tests.Steps;

namespace Bakery.Core.Tests.Resume;

public class ResumePointsTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BakeState Builder(string name) => StepTestStates.Nginx() with
    {
        Build = StepTestStates.Nginx().Build! with { Builder = StepTestStates.Nginx().Build!.Builder with { Name = name } },
    };

    private static BakeState Finished(string name, string imageId) => Builder(name) with
    {
        Image = new ImageInfo { Region = "us-east-1", ImageId = imageId, State = "available" },
        Copies = [new ImageInfo { Region = "eu-west-1", ImageId = imageId + "-eu", State = "available" }],
    };

    /// <summary>Every state EC2 documents for an image (DescribeImages, Image.State).</summary>
    public static TheoryData<string> Ec2ImageStates => new() { "pending", "available", "invalid", "deregistered", "transient", "failed", "error", "disabled" };

    [Theory]
    [MemberData(nameof(Ec2ImageStates))]
    public void Teardown_keeps_a_copy_exactly_when_a_resume_would_accept_it(string state)
    {
        var held = Finished("held", "ami-h") with
        {
            Error = new ErrorInfo { Error = "ShareFailed", Cause = "no" },
            Resume = new ResumeInfo { From = ResumeInfo.FromTagImage },
            Copies = [new ImageInfo { Region = "eu-west-1", ImageId = "ami-h-eu", State = state }],
        };

        var kept = ResumePoints.HeldImages(held).Contains("eu-west-1:ami-h-eu");
        var point = new ResumeBuilder
        {
            Builder = "held",
            From = ResumeInfo.FromTagImage,
            Images = [new BuiltImage("held", "us-east-1", "ami-h"), new BuiltImage("held", "eu-west-1", "ami-h-eu")],
        };
        var refusal = Record.Exception(() => ResumeSeeds.EnsureImagesThere(
            "b-1", point, [new ImageDescription("ami-h", "available"), new ImageDescription("ami-h-eu", state)]));

        Assert.True(refusal is null or ResumeRefused, refusal?.ToString());
        Assert.Equal(refusal is null, kept);
        Assert.Equal(state is "available" or "pending", kept);
    }

    [Fact]
    public void A_failed_build_with_a_held_builder_keeps_every_builders_point_for_the_hold()
    {
        var held = Finished("held", "ami-h") with
        {
            Error = new ErrorInfo { Error = "ShareFailed", Cause = "no" },
            Resume = new ResumeInfo { From = ResumeInfo.FromTagImage },
            Copies = [new ImageInfo { Region = "eu-west-1", ImageId = "ami-h-eu", State = "available" }, new ImageInfo { Region = "ap-south-1", ImageId = "ami-x", State = "failed" }],
        };
        var failedEarly = Builder("early") with { Error = new ErrorInfo { Error = "ProvisionerFailed", Cause = "exit 2" } };

        var hold = ResumePoints.ForFailedBuild([Finished("done", "ami-d"), held, failedEarly], Now, TimeSpan.FromDays(3));

        Assert.NotNull(hold);
        Assert.Equal((Now + TimeSpan.FromDays(3)).ToUnixTimeSeconds(), hold.UntilEpochSeconds);
        Assert.Equal(["done", "held", "early"], hold.Builders.Select(b => b.Builder));
        Assert.Equal([ResumeInfo.Done, ResumeInfo.FromTagImage, null], hold.Builders.Select(b => b.From));
        Assert.Equal(["ami-d", "ami-d-eu"], hold.Builders[0].Images.Select(i => i.ImageId));
        // The failed copy is not kept: the resumed CopyImage makes that region again.
        Assert.Equal(["ami-h", "ami-h-eu"], hold.Builders[1].Images.Select(i => i.ImageId));
        Assert.Contains("failed before its image existed (ProvisionerFailed: exit 2)", hold.Builders[2].Reason, StringComparison.Ordinal);
        Assert.True(hold.Holds("eu-west-1", "ami-h-eu", Now));
        Assert.False(hold.Holds("eu-west-1", "ami-h-eu", Now + TimeSpan.FromDays(3)));
        Assert.False(hold.Holds("ap-south-1", "ami-x", Now));
    }

    [Fact]
    public void A_build_with_no_held_builder_keeps_nothing()
    {
        var failed = Builder("early") with { Error = new ErrorInfo { Error = "LaunchFailed" } };

        Assert.Null(ResumePoints.ForFailedBuild([Finished("done", "ami-d"), failed], Now, TimeSpan.FromDays(3)));
    }

    [Fact]
    public void A_builder_whose_image_failed_its_test_cannot_continue_and_says_why()
    {
        var held = Finished("held", "ami-h") with
        {
            Error = new ErrorInfo { Error = "ShareFailed", Cause = "no" },
            Resume = new ResumeInfo { From = ResumeInfo.FromTestImage },
        };
        var judged = Finished("judged", "ami-j") with { Error = new ErrorInfo { Error = "ImageTestFailed", Cause = "nginx -t exited 1" } };

        var hold = ResumePoints.ForFailedBuild([held, judged], Now, TimeSpan.FromDays(3));

        Assert.Equal([ResumeInfo.FromTestImage, null], hold!.Builders.Select(b => b.From));
        Assert.Contains("its image failed its test (ImageTestFailed: nginx -t exited 1)", hold.Builders[1].Reason, StringComparison.Ordinal);
    }
}
