using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Lifecycle;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps;
using Bakery.Core.Tests.Steps.Fakes;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Core.Tests.Lifecycle;

/// <summary>
/// The Lifecycle step's calls in order over our own in-memory <see cref="IImageLifecycle"/> (moto runs the real calls in
/// the end-to-end tests): what goes, what stays and why, and that a refusal is reported, never thrown.
/// </summary>
public sealed class LifecycleStepTests
{
    private static readonly Dictionary<string, string> Member = new(StringComparer.Ordinal) { ["bakery:managed"] = "true", ["bakery:family"] = "my_test_build/amazon-ebs" };

    private readonly FakeAws aws = new();
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 4, 12, 0, 0, TimeSpan.Zero));

    private InMemoryImageLifecycle ec2 => aws.Lifecycle;

    public LifecycleStepTests()
    {
        ec2.Images.Add(new ImageDescription("ami-old1", "available") { CreationDate = "2026-11-01T00:00:00Z", SnapshotIds = ["snap-1"], Tags = Member });
        ec2.Images.Add(new ImageDescription("ami-old2", "available") { CreationDate = "2026-11-02T00:00:00Z", SnapshotIds = ["snap-2"], Tags = Member });
        ec2.Images.Add(new ImageDescription("ami-new", "available")
        {
            CreationDate = "2026-12-04T11:59:00Z",
            SnapshotIds = ["snap-3"],
            Tags = new Dictionary<string, string>(StringComparer.Ordinal) { ["bakery:managed"] = "true" },
        });
    }

    private async Task<BakeState> RunAsync(LifecycleSettings lifecycle)
    {
        var build = StepTestStates.Nginx() with
        {
            Settings = new BakerySettings { Lifecycle = lifecycle },
            Image = new ImageInfo { ImageId = "ami-new", Region = "us-east-1" },
        };
        var state = new BakeState { BuildId = "build-1", Source = build.Source, Results = [build] };
        return await new LifecycleStep(aws, StepTestStates.Retry(), time).RunAsync(state, CancellationToken.None);
    }

    [Fact]
    public async Task Keep_two_tags_the_new_image_into_its_family_and_deregisters_the_oldest_with_its_snapshot()
    {
        var state = await RunAsync(new LifecycleSettings { Keep = 2 });

        Assert.Equal(["CreateTags ami-new", "DescribeImages", "FindUses", "DeregisterImage ami-old1", "DeleteSnapshot snap-1"], ec2.Calls);
        Assert.Equal(
            [("ami-new", LifecycleOutcomeKind.Kept), ("ami-old2", LifecycleOutcomeKind.Kept), ("ami-old1", LifecycleOutcomeKind.Deregistered)],
            state.LifecycleReport.Select(line => (line.ImageId, line.Kind)));
        Assert.All(state.LifecycleReport, line => Assert.Equal("my_test_build/amazon-ebs", line.Family));
    }

    [Fact]
    public async Task An_image_in_use_is_kept_and_its_user_named()
    {
        ec2.Uses.Add(new ImageUse("ami-old1", "instance i-0abc (running)"));

        var state = await RunAsync(new LifecycleSettings { Keep = 1 });

        Assert.DoesNotContain("DeregisterImage ami-old1", ec2.Calls);
        Assert.Contains("DeregisterImage ami-old2", ec2.Calls);
        var kept = Assert.Single(state.LifecycleReport, line => line.ImageId == "ami-old1");
        Assert.Equal(LifecycleOutcomeKind.InUse, kept.Kind);
        Assert.Equal("us-east-1 ami-old1: InUse: in use by instance i-0abc (running)", kept.ToString());
    }

    [Fact]
    public async Task A_dry_run_lists_what_would_go_and_changes_nothing_but_the_family_tag()
    {
        var state = await RunAsync(new LifecycleSettings { Keep = 1, DryRun = true, ProtectNewest = true, DeprecateAfterDays = 30, Action = LifecycleAction.Disable });

        Assert.Equal(["CreateTags ami-new", "DescribeImages", "FindUses"], ec2.Calls);
        Assert.Equal(2, state.LifecycleReport.Count(line => line.Kind == LifecycleOutcomeKind.WouldDisable));
        Assert.StartsWith("dry run, not done: at 2027-01-03", state.LifecycleReport.Single(line => line.Kind == LifecycleOutcomeKind.DeprecationScheduled).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protect_newest_moves_the_protection_and_deprecation_is_scheduled_on_the_new_image()
    {
        ec2.Images[1] = ec2.Images[1] with { DeregistrationProtection = "enabled" };

        var state = await RunAsync(new LifecycleSettings { Keep = 2, ProtectNewest = true, DeprecateAt = new DateTimeOffset(2027, 6, 30, 0, 0, 0, TimeSpan.Zero) });

        Assert.Equal(
            ["CreateTags ami-new", "EnableImageDeprecation ami-new", "EnableImageDeregistrationProtection ami-new", "DescribeImages",
             "DisableImageDeregistrationProtection ami-old2", "FindUses", "DeregisterImage ami-old1", "DeleteSnapshot snap-1"],
            ec2.Calls);
        Assert.Equal("at 2027-06-30T00:00:00Z", state.LifecycleReport.Single(line => line.Kind == LifecycleOutcomeKind.DeprecationScheduled).Detail);
    }

    [Fact]
    public async Task A_protected_image_is_left_and_said_so_when_protection_is_not_Bakerys_to_move()
    {
        ec2.Images[0] = ec2.Images[0] with { DeregistrationProtection = "enabled" };

        var state = await RunAsync(new LifecycleSettings { Keep = 2 });

        Assert.DoesNotContain("DeregisterImage ami-old1", ec2.Calls);
        Assert.Equal(LifecycleOutcomeKind.ProtectionOn, state.LifecycleReport.Single(line => line.ImageId == "ami-old1").Kind);
    }

    [Fact]
    public async Task A_refused_call_is_a_report_line_not_a_failed_build_and_the_others_go_on()
    {
        ec2.Refused.Add("DeregisterImage ami-old1");

        var state = await RunAsync(new LifecycleSettings { Keep = 1 });

        Assert.Contains("DeregisterImage ami-old2", ec2.Calls);
        Assert.DoesNotContain("DeleteSnapshot snap-1", ec2.Calls);
        var failed = state.LifecycleReport.Single(line => line.ImageId == "ami-old1");
        Assert.Equal(LifecycleOutcomeKind.Failed, failed.Kind);
        Assert.StartsWith("DeregisterImage: You are not authorized", failed.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_knowing_what_uses_the_images_nothing_goes()
    {
        ec2.Refused.Add("FindUses");

        var state = await RunAsync(new LifecycleSettings { Keep = 1 });

        Assert.DoesNotContain(ec2.Calls, call => call.StartsWith("DeregisterImage", StringComparison.Ordinal));
        Assert.Contains(state.LifecycleReport, line => line.Kind == LifecycleOutcomeKind.Failed);
    }

    [Fact]
    public async Task A_failed_build_has_no_lifecycle()
    {
        var build = StepTestStates.Nginx() with
        {
            Settings = new BakerySettings { Lifecycle = new LifecycleSettings { Keep = 1 } },
            Error = new ErrorInfo { Error = "ProvisionerFailed", Cause = "exit 1" },
        };

        var state = await new LifecycleStep(aws, StepTestStates.Retry(), time)
            .RunAsync(new BakeState { BuildId = "build-1", Results = [build] }, CancellationToken.None);

        Assert.Empty(ec2.Calls);
        Assert.Empty(state.LifecycleReport);
    }
}
