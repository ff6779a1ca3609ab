using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// TestImage over the in-memory AWS: a fresh instance from the new image in the builder's group, the test commands as
/// Provision sends them, the verdict, and what becomes of the image and the test instance on each path.
/// </summary>
public sealed class TestImageStepTests
{
    private readonly FakeAws _aws = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _clock = StepTestStates.Clock();

    private TestImageStep Step() => new(_aws, StepTestStates.Configuration, StepTestStates.Retry(), _clock);

    /// <summary>A build right after CreateImage: its builder instance and temporary group, the image and its snapshot.</summary>
    private BakeState Imaged(string onFailure = TestFailureActions.Deregister, string? instanceType = null)
    {
        _aws.InstancesById["i-builder"] = new InstanceDescription("i-builder", "stopped");
        _aws.Groups.Add("sg-build");
        _aws.ImagesById["ami-new"] = new ImageDescription("ami-new", "available") { SnapshotIds = ["snap-new"] };
        _aws.Snapshots.Add("snap-new");
        _aws.Tags["ami-new"] = new Dictionary<string, string> { ["bakery:managed"] = "true" };
        var state = StepTestStates.Nginx();
        return state with
        {
            Settings = new BakerySettings
            {
                TestImage = new TestImageSettings
                {
                    Provisioners = [new ShellProvisioner { Inline = ["nginx -v"] }],
                    OnFailure = onFailure,
                    InstanceType = instanceType,
                },
            },
            Instance = new InstanceInfo { InstanceId = "i-builder", State = "stopped" },
            Image = new ImageInfo { Region = "us-east-1", ImageId = "ami-new", SnapshotIds = ["snap-new"] },
            Created = new CreatedResources
            {
                InstanceIds = ["i-builder"],
                SecurityGroupIds = ["sg-build"],
                Images = ["us-east-1:ami-new"],
                Snapshots = ["us-east-1:snap-new"],
            },
        };
    }

    /// <summary>Calls the step until it is done, marking the test instance running as EC2 would.</summary>
    private async Task<BakeState> RunToVerdictAsync(BakeState state)
    {
        for (var call = 0; call < 20; call++)
        {
            state = await Step().RunAsync(state, CancellationToken.None);
            if (state.Test is { } test && _aws.InstancesById[test.Instance.InstanceId].State == "pending")
            {
                _aws.InstancesById[test.Instance.InstanceId] = _aws.InstancesById[test.Instance.InstanceId] with { State = "running" };
            }

            if (state.Wait is { Done: true })
            {
                return state;
            }
        }

        throw new InvalidOperationException("TestImage never finished");
    }

    [Fact]
    public async Task The_test_instance_is_launched_from_the_new_image_in_the_builders_group_tagged_as_the_builds_own()
    {
        var state = await Step().RunAsync(Imaged(instanceType: "t3.small"), CancellationToken.None);

        var request = Assert.Single(_aws.RunRequests);
        Assert.Equal("ami-new", request.ImageId);
        Assert.Equal("t3.small", request.InstanceType.Value);
        Assert.Equal(["sg-build"], request.NetworkInterfaces.Single().Groups);
        Assert.Equal("bakery-builder", request.IamInstanceProfile.Name);
        Assert.Equal(TestImageStep.ClientToken("build-1", "amazon-ebs"), request.ClientToken);
        Assert.NotEqual(Bakery.Core.Steps.Internal.IdempotencyTokens.For("build-1", "amazon-ebs"), request.ClientToken);
        var testInstance = state.Test!.Instance.InstanceId;
        Assert.Equal("builder", _aws.Tags[testInstance]["bakery:role"]);
        Assert.Equal("build-1", _aws.Tags[testInstance]["bakery:build-id"]);
        Assert.Equal("true", _aws.Tags[testInstance]["bakery:managed"]);
        Assert.Contains(testInstance, state.Created.InstanceIds);
        Assert.False(state.Wait!.Done);
    }

    [Fact]
    public async Task A_retried_launch_gets_the_same_test_instance_back()
    {
        var first = await Step().RunAsync(Imaged(), CancellationToken.None);
        var retried = await Step().RunAsync(first with { Test = null }, CancellationToken.None);

        Assert.Equal(first.Test!.Instance.InstanceId, retried.Test!.Instance.InstanceId);
        Assert.Equal(2, _aws.InstancesById.Count);
    }

    [Fact]
    public async Task Passing_commands_tag_the_image_tested_true_terminate_the_test_instance_and_keep_the_image_the_builds()
    {
        var state = await RunToVerdictAsync(Imaged());

        var test = state.Test!;
        Assert.True(test.Passed);
        Assert.Equal(ImageTestPhases.Finished, test.Phase);
        Assert.Equal("terminated", _aws.InstancesById[test.Instance.InstanceId].State);
        Assert.Equal("stopped", _aws.InstancesById["i-builder"].State);
        Assert.Equal("true", _aws.Tags["ami-new"][TestImageStep.TestedTag]);
        // The test command went to the test instance, never to the builder.
        var sent = _aws.SentCommands.Where(c => c.Comment?.Contains("provisioners[0]", StringComparison.Ordinal) == true).ToList();
        Assert.NotEmpty(sent);
        Assert.All(sent, command => Assert.Equal(test.Instance.InstanceId, command.InstanceId));
        Assert.Contains("us-east-1:ami-new", state.Created.Images);
        Assert.Contains(test.Instance.InstanceId, state.Created.InstanceIds);
    }

    [Fact]
    public async Task A_failing_command_is_a_verdict_with_its_exit_code_and_output_and_the_image_stays_for_teardown_to_deregister()
    {
        _aws.QueueInvocations(new CommandInvocation("*", "Failed") { ExitCode = 7, StandardOutput = "nginx: command not found" });

        var state = await RunToVerdictAsync(Imaged());

        var test = state.Test!;
        Assert.False(test.Passed);
        Assert.Equal(TestFailureActions.Deregister, test.OnFailure);
        Assert.Contains("exit code 7", test.Summary, StringComparison.Ordinal);
        Assert.Contains("nginx: command not found", test.Summary, StringComparison.Ordinal);
        Assert.Equal("terminated", _aws.InstancesById[test.Instance.InstanceId].State);
        Assert.False(_aws.Tags["ami-new"].ContainsKey(TestImageStep.TestedTag));
        Assert.Contains("us-east-1:ami-new", state.Created.Images);
        Assert.Contains("us-east-1:snap-new", state.Created.Snapshots);
    }

    [Fact]
    public async Task With_on_failure_tag_a_failed_image_and_its_snapshots_are_handed_over_out_of_the_builds_care()
    {
        _aws.QueueInvocations(new CommandInvocation("*", "Failed") { ExitCode = 1 });

        var state = await RunToVerdictAsync(Imaged(TestFailureActions.Tag));

        Assert.False(state.Test!.Passed);
        Assert.Equal("false", _aws.Tags["ami-new"][TestImageStep.TestedTag]);
        Assert.Equal("false", _aws.Tags["ami-new"]["bakery:managed"]);
        Assert.Equal("false", _aws.Tags["snap-new"]["bakery:managed"]);
        Assert.Empty(state.Created.Images);
        Assert.Empty(state.Created.Snapshots);
        Assert.Contains(state.Test.Instance.InstanceId, state.Created.InstanceIds);
    }

    [Fact]
    public async Task A_refused_launch_is_launch_failed_naming_the_test_instance_and_the_image()
    {
        _aws.Fail("RunInstances", "InvalidAMIID.Unavailable");

        var error = await Assert.ThrowsAsync<LaunchFailed>(() => Step().RunAsync(Imaged(), CancellationToken.None));

        Assert.Contains("TestImage: RunInstances refused the test instance for builder 'amazon-ebs' (ami-new, m3.large): InvalidAMIID.Unavailable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_without_test_image_settings_is_refused()
    {
        var state = Imaged() with { Settings = null };

        await Assert.ThrowsAsync<BuildInputInvalid>(() => Step().RunAsync(state, CancellationToken.None));
    }
}
