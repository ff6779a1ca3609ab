using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

public class TeardownStepTests
{
    private static (FakeAws Aws, BakeState State) Launched()
    {
        var aws = new FakeAws();
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        aws.Groups.Add("sg-1");
        aws.ImagesById["ami-1"] = new ImageDescription("ami-1", "pending") { SnapshotIds = ["snap-1"] };
        aws.Snapshots.Add("snap-1");
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/packer_provision.sh"] = [1];
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}downloads/1/0/log"] = [2];
        var state = StepTestStates.Nginx() with
        {
            Instance = new InstanceInfo { InstanceId = "i-1" },
            Created = new CreatedResources
            {
                InstanceIds = ["i-1"],
                SecurityGroupIds = ["sg-1"],
                Images = ["us-east-1:ami-1"],
                StagedKeys = [$"{StepTestStates.Prefix}files/packer_provision.sh"],
            },
        };
        return (aws, state);
    }

    [Fact]
    public async Task Group_waits_for_the_instance_and_DependencyViolation_means_not_yet()
    {
        var (aws, state) = Launched();
        aws.InstanceStateAfterTerminate = "shutting-down";
        var step = new TeardownStep(aws, StepTestStates.Retry());

        var first = await step.RunAsync(state, CancellationToken.None);
        Assert.False(first.Wait!.Done);
        Assert.Contains("sg-1", aws.Groups);
        Assert.Equal(["sg-1"], first.Created.SecurityGroupIds);

        aws.InstancesById["i-1"] = aws.InstancesById["i-1"] with { State = "terminated" };
        aws.Fail("DeleteSecurityGroup", "DependencyViolation");
        var second = await step.RunAsync(first, CancellationToken.None);
        Assert.False(second.Wait!.Done);
        Assert.Contains("sg-1", aws.Groups);

        var third = await step.RunAsync(second, CancellationToken.None);
        Assert.True(third.Wait!.Done);
        Assert.Empty(aws.Groups);
        Assert.Equal(["sg-1"], third.Removed!.SecurityGroupIds);
        Assert.Equal(["i-1"], third.Removed.InstanceIds);
    }

    [Fact]
    public async Task On_success_images_stay_staged_files_go_and_downloads_stay()
    {
        var (aws, state) = Launched();
        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);
        Assert.True(done.Wait!.Done);
        Assert.Equal("terminated", aws.InstancesById["i-1"].State);
        Assert.Contains("ami-1", aws.ImagesById.Keys);
        Assert.Equal([$"{StepTestStates.Bucket}/{StepTestStates.Prefix}downloads/1/0/log"], aws.Store.Objects.Keys);
    }

    [Fact]
    public async Task On_failure_the_half_made_image_and_its_snapshots_go_and_a_second_run_is_harmless()
    {
        var (aws, state) = Launched();
        state = state with { Error = new ErrorInfo { Error = "ProvisionerFailed", Cause = "exit 1" } };
        var step = new TeardownStep(aws, StepTestStates.Retry());
        var once = await step.RunAsync(state, CancellationToken.None);
        Assert.Empty(aws.ImagesById);
        Assert.Empty(aws.Snapshots);
        Assert.Empty(aws.Groups);
        Assert.Equal(["us-east-1:ami-1"], once.Removed!.Images);
        Assert.Equal(["us-east-1:snap-1"], once.Removed.Snapshots);

        // Everything is gone now: teardown of the original state again (a retried Lambda) must not throw.
        var twice = await step.RunAsync(state, CancellationToken.None);
        Assert.True(twice.Wait!.Done);
        var thrice = await step.RunAsync(once, CancellationToken.None);
        Assert.True(thrice.Wait!.Done);
    }

    [Fact]
    public async Task Teardown_before_anything_was_created_does_nothing()
    {
        var aws = new FakeAws();
        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(new BakeState { BuildId = "b" }, CancellationToken.None);
        Assert.True(done.Wait!.Done);
        Assert.Empty(aws.Calls);
    }

    private static Dictionary<string, string> BuildTags(string buildId, string builder) => new()
    {
        ["bakery:build-id"] = buildId,
        ["bakery:builder"] = builder,
        ["bakery:managed"] = "true",
    };

    [Fact]
    public async Task What_a_failed_step_made_is_found_by_the_builds_tags_and_a_sibling_builds_is_left_alone()
    {
        // The Catch hands Teardown the state from before the failed step: nothing is listed in Created.
        var aws = new FakeAws();
        aws.InstancesById["i-own"] = new InstanceDescription("i-own", "running");
        aws.Tags["i-own"] = BuildTags("build-1", "amazon-ebs");
        aws.Tags["i-own"]["bakery:role"] = "builder";
        aws.Groups.Add("sg-own");
        aws.Tags["sg-own"] = BuildTags("build-1", "amazon-ebs");
        aws.ImagesById["ami-own"] = new ImageDescription("ami-own", "pending") { SnapshotIds = ["snap-own"] };
        aws.Tags["ami-own"] = BuildTags("build-1", "amazon-ebs");
        aws.Snapshots.Add("snap-own");
        aws.Snapshots.Add("snap-tagged");
        aws.Tags["snap-tagged"] = BuildTags("build-1", "amazon-ebs");
        aws.InstancesById["i-sibling"] = new InstanceDescription("i-sibling", "running");
        aws.Tags["i-sibling"] = BuildTags("build-1", "other-builder");
        aws.Tags["i-sibling"]["bakery:role"] = "builder";
        aws.Groups.Add("sg-sibling");
        aws.Tags["sg-sibling"] = BuildTags("build-1", "other-builder");
        aws.ImagesById["ami-sibling"] = new ImageDescription("ami-sibling", "pending");
        aws.Tags["ami-sibling"] = BuildTags("build-1", "other-builder");
        var state = StepTestStates.Nginx() with { Error = new ErrorInfo { Error = "ImageFailed", Cause = "lost" } };

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.True(done.Wait!.Done);
        Assert.Equal("terminated", aws.InstancesById["i-own"].State);
        Assert.Equal(["sg-sibling"], aws.Groups);
        Assert.Equal(["ami-sibling"], aws.ImagesById.Keys);
        Assert.Empty(aws.Snapshots);
        Assert.Equal("running", aws.InstancesById["i-sibling"].State);
        Assert.Equal(["i-own"], done.Removed!.InstanceIds);
        Assert.Equal(["sg-own"], done.Removed.SecurityGroupIds);
        Assert.Equal(["us-east-1:ami-own"], done.Removed.Images);
    }

    [Fact]
    public async Task On_success_a_tagged_image_is_not_looked_up_let_alone_removed()
    {
        var aws = new FakeAws();
        aws.ImagesById["ami-own"] = new ImageDescription("ami-own", "available");
        aws.Tags["ami-own"] = BuildTags("build-1", "amazon-ebs");

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(StepTestStates.Nginx(), CancellationToken.None);

        Assert.True(done.Wait!.Done);
        Assert.Contains("ami-own", aws.ImagesById.Keys);
        Assert.False(aws.Calls.ContainsKey("FindImages"));
    }

    [Fact]
    public async Task A_builds_teardown_removes_only_its_own_staged_files_while_a_sibling_build_still_runs()
    {
        var aws = new FakeAws();
        string[] keys = ["files/scripts/common.sh", "files/scripts/web.sh", "files/scripts/worker.sh", "rendered/web.json", "rendered/worker.json"];
        foreach (var key in keys)
        {
            aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}{key}"] = [1];
        }

        var web = StepTestStates.Nginx() with
        {
            Created = new CreatedResources { StagedKeys = [$"{StepTestStates.Prefix}files/scripts/web.sh", $"{StepTestStates.Prefix}rendered/web.json"] },
        };

        var done = await new TeardownStep(aws, StepTestStates.Retry()).RunAsync(web, CancellationToken.None);

        Assert.True(done.Wait!.Done);
        Assert.Equal(
            [$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/scripts/common.sh", $"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/scripts/worker.sh", $"{StepTestStates.Bucket}/{StepTestStates.Prefix}rendered/worker.json"],
            aws.Store.Objects.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(web.Created.StagedKeys, done.Removed!.StagedKeys);
        Assert.Empty(done.Created.StagedKeys);
    }
}
