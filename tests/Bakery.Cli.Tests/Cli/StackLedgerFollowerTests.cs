using Bakery.Cli.Build;
using Bakery.Cli.Commands;
using Bakery.Cli.Stack;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;

namespace Bakery.EndToEnd.Tests.Cli;

public sealed class StackLedgerFollowerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static BuildRecord Record(BuildStatus status, string step, int seconds, string id = "my-build-0011223344556677") => new()
    {
        BuildId = id,
        Status = status,
        Identity = "s3://bucket/builds/my/my.json?versionId=v2&sequencer=0A",
        Source = "s3://bucket/builds/my/my.json",
        Trigger = "S3Upload",
        Step = step,
        StepStatus = "Started",
        CreatedAt = T0,
        UpdatedAt = T0.AddSeconds(seconds),
    };

    /// <summary>Answers GetAsync with the given records in turn (the last one repeats), ListRecentAsync with <see cref="Recent"/>.</summary>
    private sealed class ScriptedLedger(params BuildRecord[] script) : IBuildLedger
    {
        private int next;

        public List<BuildRecord> Recent { get; init; } = [];

        public Task<BuildRecord?> GetAsync(string buildId, CancellationToken cancellationToken) =>
            Task.FromResult<BuildRecord?>(script[Math.Min(next++, script.Length - 1)]);

        public Task<IReadOnlyList<BuildRecord>> ListRecentAsync(int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<BuildRecord>>([.. Recent.Take(limit)]);

        public Task<bool> TryClaimAsync(BuildClaim claim, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> RecordStepAsync(string buildId, string step, string stepStatus, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task SetDeadlineAsync(string buildId, long deadlineEpochSeconds, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task RecordWarningsAsync(string buildId, IReadOnlyList<string> warnings, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task CompleteAsync(string buildId, IReadOnlyList<BuiltImage> images, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task FailAsync(string buildId, string errorName, string? cause, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task HoldForResumeAsync(string buildId, ResumeHold hold, CancellationToken cancellationToken) => throw new NotSupportedException();
        public Task<bool> TryClaimForResumeAsync(string buildId, string? claimToken, long deadlineEpochSeconds, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    private static LedgerFollower Follower(IBuildLedger ledger, BuildUi ui) => new(ledger, ui, (_, _) => Task.CompletedTask, TimeProvider.System);

    [Fact]
    public async Task Prints_each_step_once_with_how_long_it_took_then_the_artifacts()
    {
        var done = Record(BuildStatus.Succeeded, StepNames.Publish, 30) with { FinishedAt = T0.AddSeconds(31) };
        done.Images = [new BuiltImage("amazon-ebs", "us-east-1", "ami-1"), new BuiltImage("amazon-ebs", "eu-west-1", "ami-2")];
        var ledger = new ScriptedLedger(
            Record(BuildStatus.Running, StepNames.Launch, 2),
            Record(BuildStatus.Running, StepNames.Launch, 2),
            Record(BuildStatus.Running, StepNames.Provision, 12),
            done);
        var output = new StringWriter();
        var ui = new HumanUi(output, color: false);

        var final = await Follower(ledger, ui).FollowAsync(Record(BuildStatus.Claimed, StepNames.Prepare, 0), "amazon-ebs", CancellationToken.None);
        var exit = LedgerFollower.Report(ui, final, "amazon-ebs", ["amazon-ebs"], TimeSpan.FromSeconds(31));

        Assert.Equal(0, exit);
        Assert.Equal(
            """
            ==> amazon-ebs: Reading the build file and checking the source AMI...
                amazon-ebs: (Prepare took 2.0s)
            ==> amazon-ebs: Launching a source AWS instance...
                amazon-ebs: (Launch took 10.0s)
            ==> amazon-ebs: Provisioning (SSM Run Command)...
                amazon-ebs: (Provision took 18.0s)
            ==> amazon-ebs: Publishing the build's results...
                amazon-ebs: (Publish took 1.0s)

            ==> Wait completed after 31 seconds

            ==> Builds finished. The artifacts of successful builds are:
            --> amazon-ebs: AMIs were created:
            eu-west-1: ami-2
            us-east-1: ami-1

            """.ReplaceLineEndings(), output.ToString());
    }

    [Fact]
    public async Task A_failed_build_prints_the_step_error_and_cause_and_exits_1()
    {
        var failed = Record(BuildStatus.Failed, StepNames.Provision, 20) with
        {
            ErrorName = nameof(ProvisionerFailed),
            ErrorCause = """{"errorType":"ProvisionerFailed","errorMessage":"packer_provision.sh exited with 2"}""",
        };
        var output = new StringWriter();
        var ui = new HumanUi(output, color: false);

        var final = await Follower(new ScriptedLedger(failed), ui).FollowAsync(Record(BuildStatus.Running, StepNames.Provision, 5), "amazon-ebs", CancellationToken.None);
        var exit = LedgerFollower.Report(ui, final, "amazon-ebs", ["amazon-ebs"], TimeSpan.FromSeconds(20));

        Assert.Equal(1, exit);
        var text = output.ToString();
        Assert.Contains("==> amazon-ebs: Provisioning (SSM Run Command)...", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Provision took", text, StringComparison.Ordinal);
        Assert.Contains("==> amazon-ebs: Provision: ProvisionerFailed: packer_provision.sh exited with 2", text, StringComparison.Ordinal);
        Assert.Contains("==> Builds finished but no artifacts were created.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Finds_the_uploads_build_by_its_version_among_recent_builds()
    {
        var other = Record(BuildStatus.Succeeded, StepNames.Publish, 1, "my-older") with { Identity = "s3://bucket/builds/my/my.json?versionId=v1&sequencer=09" };
        var mine = Record(BuildStatus.Running, StepNames.Launch, 1, "my-newer");
        var ledger = new ScriptedLedger(mine) { Recent = [other, mine] };

        var found = await Follower(ledger, new HumanUi(TextWriter.Null, false)).FindAsync("bucket", "builds/my/my.json", "v2", T0, TimeSpan.Zero, CancellationToken.None);
        var missing = await Follower(ledger, new HumanUi(TextWriter.Null, false)).FindAsync("bucket", "builds/my/my.json", "v3", T0, TimeSpan.Zero, CancellationToken.None);

        Assert.Equal("my-newer", found?.BuildId);
        Assert.Null(missing);
    }

    [Fact]
    public void A_succeeded_build_that_fell_back_shows_each_launch_attempt_in_status_and_in_the_summary()
    {
        var done = Record(BuildStatus.Succeeded, StepNames.Publish, 30) with
        {
            FinishedAt = T0.AddSeconds(30),
            LaunchAttempts =
            [
                new LedgerLaunchAttempt("amazon-ebs", "t3.micro", "spot", null, "InsufficientInstanceCapacity: no spot capacity"),
                new LedgerLaunchAttempt("amazon-ebs", "t3.micro", "on-demand", "i-0123", null),
            ],
        };
        done.Images = [new BuiltImage("amazon-ebs", "us-east-1", "ami-1")];
        var plain = Record(BuildStatus.Succeeded, StepNames.Publish, 30) with
        {
            LaunchAttempts = [new LedgerLaunchAttempt("amazon-ebs", "t3.micro", "on-demand", "i-0999", null)],
        };
        plain.Images = done.Images;
        var status = new StringWriter();
        var summary = new StringWriter();
        var plainSummary = new StringWriter();

        StatusCommand.Write(status, done);
        LedgerFollower.Report(new HumanUi(summary, color: false), done, "amazon-ebs", ["amazon-ebs"], TimeSpan.FromSeconds(30));
        LedgerFollower.Report(new HumanUi(plainSummary, color: false), plain, "amazon-ebs", ["amazon-ebs"], TimeSpan.FromSeconds(30));

        Assert.Contains(
            "Launch attempts:\n  amazon-ebs  t3.micro (spot): InsufficientInstanceCapacity: no spot capacity\n  amazon-ebs  t3.micro (on-demand): launched i-0123\n",
            status.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs: Launch attempt: t3.micro (spot): InsufficientInstanceCapacity: no spot capacity", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs: Launch attempt: t3.micro (on-demand): launched i-0123", summary.ToString(), StringComparison.Ordinal);
        // One on-demand attempt that launched is the plain case: the summary stays Packer's.
        Assert.DoesNotContain("Launch attempt", plainSummary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Status_of_a_failed_build_shows_the_images_kept_for_a_resume_and_until_when()
    {
        var failed = Record(BuildStatus.Failed, "ShareImage", 30) with
        {
            ErrorName = "ShareFailed",
            ErrorCause = "no",
            Resume = new ResumeHold
            {
                UntilEpochSeconds = T0.AddDays(3).ToUnixTimeSeconds(),
                Builders =
                [
                    new ResumeBuilder { Builder = "web", From = ResumeInfo.FromTagImage, Images = [new BuiltImage("web", "us-east-1", "ami-1"), new BuiltImage("web", "eu-west-1", "ami-2")] },
                    new ResumeBuilder { Builder = "db", Reason = "it failed before its image existed" },
                ],
            },
        };
        var status = new StringWriter();

        StatusCommand.Write(status, failed);

        var text = status.ToString().ReplaceLineEndings("\n");
        Assert.Contains($"Kept for a resume until {T0.AddDays(3).ToString("u", System.Globalization.CultureInfo.InvariantCulture)} (`bakery build --resume {failed.BuildId} FILE`", text, StringComparison.Ordinal);
        Assert.Contains("  web  from TagImage: us-east-1 ami-1, eu-west-1 ami-2\n  db  cannot continue: it failed before its image existed\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Builds_and_status_show_ids_status_steps_and_amis()
    {
        var done = Record(BuildStatus.Succeeded, StepNames.Publish, 30) with { FinishedAt = T0.AddSeconds(30) };
        done.Images = [new BuiltImage("amazon-ebs", "us-east-1", "ami-1")];
        var failed = Record(BuildStatus.Failed, StepNames.Launch, 3, "other-1") with { ErrorName = nameof(LaunchFailed), ErrorCause = "no capacity" };
        var list = new StringWriter();
        var one = new StringWriter();
        var bad = new StringWriter();

        BuildsCommand.Write(list, [done, failed]);
        StatusCommand.Write(one, done);
        StatusCommand.Write(bad, failed);

        var lines = list.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("BUILD ID", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^my-build-0011223344556677\s+Succeeded\s+Publish\s+2026-01-01 12:00:00Z\s+us-east-1:ami-1\s*$", lines[1]);
        Assert.Matches(@"^other-1\s+Failed\s+Launch\s+2026-01-01 12:00:00Z\s+-\s*$", lines[2]);
        Assert.Contains("Status:     Succeeded", one.ToString(), StringComparison.Ordinal);
        Assert.Contains("  amazon-ebs  us-east-1  ami-1", one.ToString(), StringComparison.Ordinal);
        Assert.Contains("Finished:   2026-01-01 12:00:30Z (took 30 seconds)", one.ToString(), StringComparison.Ordinal);
        Assert.Contains("Failed in:  Launch", bad.ToString(), StringComparison.Ordinal);
        Assert.Contains("Error:      LaunchFailed", bad.ToString(), StringComparison.Ordinal);
        Assert.Contains("Cause:      no capacity", bad.ToString(), StringComparison.Ordinal);
    }
}
