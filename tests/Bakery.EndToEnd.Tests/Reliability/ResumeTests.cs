using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.EndToEnd.Tests.Workflow;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>
/// Resuming a failed build (<c>{"resume": "BUILD_ID"}</c>) through the real definition, bootstrap and moto: a build that
/// failed after its image existed continues from TagImage with that image and succeeds without a second CreateImage; a
/// build whose instance Teardown terminated, whose image failed its test, or whose kept image is gone, is refused with
/// the reason; one whose test gave no verdict resumes by testing the kept image; nothing is left.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class ResumeTests(LocalBakery bakery, ITestOutputHelper output)
{
    [Fact]
    public async Task A_build_that_failed_after_its_image_resumes_to_success_with_that_image_and_makes_no_second_one()
    {
        var (failed, buildId, before) = await FailAsync("ShareImage:ShareFailed");
        Assert.Equal("ShareFailed", failed.Error);
        var held = await HeldImageAsync(buildId);

        var resumed = await ResumeAsync(buildId);

        Assert.True(resumed.Status == ExecutionStatus.Succeeded, $"{resumed.Status}: {resumed.Error}: {resumed.Cause}");
        // Nothing before the image runs again: no launch, no provisioning, no CreateImage.
        string[] skipped = [StepNames.Launch, StepNames.WaitForInstance, StepNames.Provision, StepNames.StopInstance, StepNames.CreateImage];
        Assert.DoesNotContain(resumed.Events, e => e.Type == "StateEntered" && skipped.Contains(e.StateName));
        Assert.Contains(resumed.Events, e => e.Type == "StateEntered" && e.StateName == StepNames.TagImage);
        Assert.Contains(resumed.Events, e => e.Type == "StateEntered" && e.StateName == "ShareImage");
        var record = await Ledger().GetAsync(buildId, CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
        Assert.Equal([held], record.Images.Select(image => image.ImageId));
        Assert.Null(record.Resume);
        // One AMI (and its snapshot) for the two executions: the one the failed build kept.
        var fresh = (await StandInQueries.OwnImagesAndSnapshotsAsync(bakery)).Except(before).ToList();
        Assert.Equal(2, fresh.Count);
        Assert.Contains(held, fresh);
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
        // The resumed image carries the build's tags, as a first-time image does (TagImage ran on it).
        var tags = (await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [held] })).Images[0].Tags;
        Assert.Contains(tags, tag => tag.Key == "bakery:build-id" && tag.Value == buildId);
    }

    [Fact]
    public async Task A_build_that_failed_while_provisioning_is_refused_because_its_instance_is_gone_and_nothing_is_left()
    {
        var (failed, buildId, before) = await FailAsync("Provision:ProvisionerFailed");
        Assert.Equal("ProvisionerFailed", failed.Error);

        var resumed = await ResumeAsync(buildId);

        Assert.Equal(ExecutionStatus.Failed, resumed.Status);
        Assert.Equal("ResumeRefused", resumed.Error);
        Assert.Contains("Teardown terminated the instance after the failure, so the build cannot be resumed. Start it again.", resumed.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain(resumed.Events, e => e.Type == "StateEntered" && e.StateName == "BakeEachBuild");
        // The failed build's record keeps its own failure.
        var record = await Ledger().GetAsync(buildId, CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, "ProvisionerFailed"), (record!.Status, record.ErrorName));
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
        Assert.Empty((await StandInQueries.OwnImagesAndSnapshotsAsync(bakery)).Except(before));
    }

    [Fact]
    public async Task A_resume_whose_kept_image_is_gone_is_refused_and_the_janitor_removes_what_is_left()
    {
        var (_, buildId, before) = await FailAsync("ShareImage:ShareFailed");
        var held = await HeldImageAsync(buildId);
        // Someone deregistered the kept image (its snapshot stays, as EC2 leaves it).
        await bakery.Ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = held });

        var resumed = await ResumeAsync(buildId);

        Assert.Equal("ResumeRefused", resumed.Error);
        Assert.Contains($"the image {held} of builder 'amazon-ebs' in us-east-1 is", resumed.Cause, StringComparison.Ordinal);
        Assert.Contains("a resume never makes an image again. Start the build again.", resumed.Cause, StringComparison.Ordinal);
        var record = await Ledger().GetAsync(buildId, CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, "ShareFailed"), (record!.Status, record.ErrorName));

        var report = await bakery.InvokeAsync("JanitorFunction", """{"regions":["us-east-1"]}""");
        output.WriteLine($"janitor: {report}");
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
        Assert.Empty((await StandInQueries.OwnImagesAndSnapshotsAsync(bakery)).Except(before));
    }

    [Fact]
    public async Task The_janitor_keeps_a_held_image_and_a_second_resume_of_a_resumed_build_is_refused()
    {
        var (_, buildId, _) = await FailAsync("ShareImage:ShareFailed");
        var held = await HeldImageAsync(buildId);

        await bakery.InvokeAsync("JanitorFunction", """{"regions":["us-east-1"]}""");

        Assert.Equal("available", (await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [held] })).Images[0].State.Value);
        var resumed = await ResumeAsync(buildId);
        Assert.True(resumed.Status == ExecutionStatus.Succeeded, $"{resumed.Status}: {resumed.Error}: {resumed.Cause}");
        var again = await ResumeAsync(buildId);
        Assert.Equal("ResumeRefused", again.Error);
        Assert.Contains($"Build {buildId} succeeded; there is nothing to resume.", again.Cause, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_whose_image_test_could_not_run_resumes_by_testing_the_kept_image_and_makes_no_second_one()
    {
        // The test gives no verdict (TestImage fails on every attempt): the untested image is kept, never published untested.
        var (failed, buildId, before) = await FailAsync("TestImage:StepTimedOut", TestSettings);
        Assert.Equal("StepTimedOut", failed.Error);
        var held = await HeldImageAsync(buildId, StepNames.TestImage);

        var resumed = await ResumeAsync(buildId);

        Assert.True(resumed.Status == ExecutionStatus.Succeeded, $"{resumed.Status}: {resumed.Error}: {resumed.Cause}");
        string[] skipped = [StepNames.Launch, StepNames.WaitForInstance, StepNames.Provision, StepNames.StopInstance, StepNames.CreateImage];
        Assert.DoesNotContain(resumed.Events, e => e.Type == "StateEntered" && skipped.Contains(e.StateName));
        var entered = resumed.Events.Where(e => e.Type == "StateEntered").Select(e => e.StateName).ToList();
        Assert.True(entered.IndexOf(StepNames.TestImage) >= 0 && entered.IndexOf(StepNames.TestImage) < entered.IndexOf(StepNames.TagImage), string.Join(", ", entered));
        var record = await Ledger().GetAsync(buildId, CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
        var image = Assert.Single(record.Images);
        Assert.Equal((held, "passed"), (image.ImageId, image.Tested));
        Assert.Equal(2, (await StandInQueries.OwnImagesAndSnapshotsAsync(bakery)).Except(before).Count());
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
    }

    [Fact]
    public async Task A_build_whose_image_failed_its_test_keeps_nothing_and_is_refused_with_the_reason()
    {
        // A failed verdict as TestImage reports it (the commands' real failure needs a local instance: LocalInstancesTests).
        var (failed, buildId, before) = await FailAsync("TestImage:ImageTestFailed", TestSettings);
        Assert.Equal("ImageTestFailed", failed.Error);

        var resumed = await ResumeAsync(buildId);

        Assert.Equal("ResumeRefused", resumed.Error);
        Assert.Contains("failed its image test (ImageTestFailed): a verdict on the image, which a resume would only publish", resumed.Cause, StringComparison.Ordinal);
        Assert.Null((await Ledger().GetAsync(buildId, CancellationToken.None))!.Resume);
        Assert.Empty(await StandInQueries.LeftoversAsync(bakery, buildId));
        Assert.Empty((await StandInQueries.OwnImagesAndSnapshotsAsync(bakery)).Except(before));
    }

    private const string TestSettings = """{"test_image": {"provisioners": [{"type": "shell", "inline": ["true"]}]}}""";

    private async Task<string> HeldImageAsync(string buildId, string from = StepNames.TagImage)
    {
        var record = await Ledger().GetAsync(buildId, CancellationToken.None);
        Assert.Equal(BuildStatus.Failed, record!.Status);
        var builder = Assert.Single(record.Resume!.Builders);
        Assert.Equal(("amazon-ebs", from), (builder.Builder, builder.From));
        var image = Assert.Single(builder.Images);
        Assert.Equal("available", (await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [image.ImageId] })).Images[0].State.Value);
        Assert.InRange(record.Resume.Until, DateTimeOffset.UtcNow.AddDays(2), DateTimeOffset.UtcNow.AddDays(4));
        return image.ImageId;
    }

    private async Task<(StateMachineRunResult Run, string BuildId, IReadOnlySet<string> Before)> FailAsync(string fault, string? settings = null)
    {
        var prefix = $"builds/resume/{Guid.NewGuid():N}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "nginx"), prefix);
        if (settings is not null)
        {
            await bakery.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest { BucketName = LocalBakery.Bucket, Key = prefix + "my_test_build.bakery.json", ContentBody = settings });
        }

        var before = await StandInQueries.OwnImagesAndSnapshotsAsync(bakery);
        bakery.Lambda.SetFaults(LocalFaultPlan.Parse(fault));
        StateMachineRunResult run;
        try
        {
            run = await bakery.Runner.RunAsync(new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}my_test_build.json" }.ToJsonString());
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }

        output.WriteLine($"{fault} -> {run.Status} {run.Error}: {run.Cause}");
        Assert.Equal(ExecutionStatus.Failed, run.Status);
        var buildId = run.Events.First(e => e.Type == "StateExited" && e.StateName == "Prepare").Output!.Value.GetProperty("buildId").GetString()!;
        return (run, buildId, before);
    }

    private async Task<StateMachineRunResult> ResumeAsync(string buildId)
    {
        var run = await bakery.Runner.RunAsync(new JsonObject { ["resume"] = buildId }.ToJsonString());
        output.WriteLine($"resume {buildId} -> {run.Status} {run.Error}: {run.Cause}");
        foreach (var e in run.Events.Where(e => e.Type is "StateEntered" or "StateFailed"))
        {
            output.WriteLine($"  {e.Type} {e.StateName} {e.Error}");
        }

        return run;
    }

    private DynamoDbBuildLedger Ledger() =>
        new(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));
}
