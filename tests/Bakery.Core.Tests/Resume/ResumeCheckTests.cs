using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Resume;
using Bakery.Core.Tests.Steps;

namespace Bakery.Core.Tests.Resume;

/// <summary>The refusals a resume gives before anything starts, and the seed a resumed builder starts from.</summary>
public class ResumeCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ResumeHold Hold = new()
    {
        UntilEpochSeconds = (Now + TimeSpan.FromDays(1)).ToUnixTimeSeconds(),
        Builders =
        [
            new ResumeBuilder
            {
                Builder = "amazon-ebs",
                From = ResumeInfo.FromTagImage,
                Images = [new BuiltImage("amazon-ebs", "us-east-1", "ami-1"), new BuiltImage("amazon-ebs", "us-west-2", "ami-2")],
            },
        ],
    };

    private static BuildRecord Failed(ResumeHold? hold) => new()
    {
        BuildId = "b-1",
        Status = BuildStatus.Failed,
        ErrorName = "ShareFailed",
        Source = "s3://bucket/builds/x/x.json",
        Resume = hold,
    };

    [Fact]
    public void A_failed_build_with_a_live_hold_resumes_from_its_file()
    {
        Assert.Same(Hold, ResumeCheck.Check("b-1", Failed(Hold), Now));
        Assert.Equal(("bucket", "builds/x/x.json"), ResumeCheck.Source(Failed(Hold)));
    }

    public static TheoryData<string, BuildRecord?, string> Refusals => new()
    {
        { "unknown", null, "There is no build b-1 in the ledger" },
        { "succeeded", Failed(Hold) with { Status = BuildStatus.Succeeded }, "Build b-1 succeeded; there is nothing to resume." },
        { "running", Failed(Hold) with { Status = BuildStatus.Running, Step = "CopyImage" }, "is still running (step CopyImage); only a failed build" },
        { "failed before the image", Failed(null), "failed (ShareFailed) before any of its builders had an image to continue from: Teardown terminated the instance after the failure" },
        { "a builder that cannot continue", Failed(Hold with { Builders = [.. Hold.Builders, new ResumeBuilder { Builder = "other", Reason = "it failed before its image existed" }] }), "builder 'other' cannot continue, it failed before its image existed. Start the build again" },
        { "image test failed", Failed(null) with { ErrorName = "ImageTestFailed" }, "failed its image test (ImageTestFailed): a verdict on the image, which a resume would only publish" },
        { "expired", Failed(Hold with { UntilEpochSeconds = Now.ToUnixTimeSeconds() }), "were kept for a resume until 2026-01-01 00:00:00Z; that has passed" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_resume_is_refused_with_the_reason(string what, BuildRecord? record, string reason)
    {
        _ = what;
        var refused = Assert.Throws<ResumeRefused>(() => ResumeCheck.Check("b-1", record, Now));
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_inline_build_cannot_be_resumed()
    {
        var refused = Assert.Throws<ResumeRefused>(() => ResumeCheck.Source(Failed(Hold) with { Source = "inline" }));
        Assert.Contains("inline build file", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "available", "the image ami-1 of builder 'amazon-ebs' in us-east-1 is gone (EC2 does not know it)")]
    [InlineData("deregistered", "available", "the image ami-1 of builder 'amazon-ebs' in us-east-1 is deregistered")]
    [InlineData("available", "failed", "the copy ami-2 of builder 'amazon-ebs' in us-west-2 is failed")]
    public void A_kept_image_that_is_gone_refuses_the_resume(string? image, string? copy, string reason)
    {
        ImageDescription? Of(string id, string? state) => state is null ? null : new ImageDescription(id, state);

        var refused = Assert.Throws<ResumeRefused>(() => ResumeSeeds.EnsureImagesThere("b-1", Hold.Builders[0], [Of("ami-1", image), Of("ami-2", copy)]));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains("a resume never makes an image again. Start the build again.", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pending_copy_is_enough_and_the_seed_carries_the_images_as_made_and_created()
    {
        ImageDescription[] described =
        [
            new("ami-1", "available") { Name = "nginx", SnapshotIds = ["snap-1"] },
            new("ami-2", "pending") { Name = "nginx", SnapshotIds = ["snap-2"] },
        ];
        ResumeSeeds.EnsureImagesThere("b-1", Hold.Builders[0], described);
        var prepared = StepTestStates.Nginx() with { Created = new CreatedResources { StagedKeys = ["staging/b-1/files/a.sh"] } };

        var seeded = ResumeSeeds.Seed(prepared, Hold.Builders[0], described);

        Assert.Equal(ResumeInfo.FromTagImage, seeded.Resume!.From);
        Assert.Equal(("us-east-1", "ami-1", "available", "nginx"), (seeded.Image!.Region, seeded.Image.ImageId, seeded.Image.State, seeded.Image.Name));
        Assert.Equal(["snap-1"], seeded.Image.SnapshotIds);
        var copy = Assert.Single(seeded.Copies);
        Assert.Equal(("us-west-2", "ami-2", "pending", "us-east-1:ami-1"), (copy.Region, copy.ImageId, copy.State, copy.CopiedFrom));
        Assert.Equal(["us-east-1:ami-1", "us-west-2:ami-2"], seeded.Created.Images);
        Assert.Equal(["us-east-1:snap-1", "us-west-2:snap-2"], seeded.Created.Snapshots);
        Assert.Equal(["staging/b-1/files/a.sh"], seeded.Created.StagedKeys);
        Assert.Null(seeded.Instance);
    }
}
