using System.Text;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// ErrorCleanup runs the build's error-cleanup-provisioner after Provision failed, through Provision's own code, and
/// keeps the original error; a failed cleanup is reported in packer's words ("Cleanup failed: X. Original Provisioning
/// error: Y", packer's StepProvision) for the workflow to put in the cause, without throwing.
/// </summary>
public class ErrorCleanupStepTests
{
    private const string OriginalMessage = "Provision: provisioners[0] (shell) ended Failed (Failed) on i-1 after 1 attempt(s), command c-0 (exit code 100)";

    private static (FakeAws Aws, ErrorCleanupStep Step, BakeState State) Arrange(Provisioner? cleanup)
    {
        var aws = new FakeAws();
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/packer_provision.sh"] = Encoding.UTF8.GetBytes("make install\n");
        var failed = StepTestStates.Nginx() with
        {
            Instance = new InstanceInfo { InstanceId = "i-1", State = "running" },
            // Where the failed Provision left things: its provisioner, its command, its last wait.
            Provisioning = new ProvisioningInfo { Index = 0, CommandId = "c-0", Status = "Failed", ExitCode = 100 },
            Wait = new WaitHint { Done = false, Attempt = 7, Seconds = 30 },
            Error = new ErrorInfo
            {
                Error = nameof(ProvisionerFailed),
                Cause = $$"""{"errorType":"ProvisionerFailed","errorMessage":"{{OriginalMessage}}","stackTrace":[]}""",
            },
        };
        var state = failed with { Build = failed.Build! with { ErrorCleanupProvisioner = cleanup } };
        return (aws, new ErrorCleanupStep(aws, StepTestStates.Retry(), StepTestStates.Clock()), state);
    }

    private static ShellProvisioner Cleanup => new()
    {
        Index = Provisioner.ErrorCleanupIndex,
        Inline = ["tail -n 100 /var/log/cloud-init-output.log"],
    };

    private static async Task<BakeState> RunToEnd(ErrorCleanupStep step, BakeState state)
    {
        for (var i = 0; i < 50; i++)
        {
            state = await step.RunAsync(state, CancellationToken.None);
            if (state.Wait is { Done: true })
            {
                return state;
            }
        }

        throw new InvalidOperationException("did not finish");
    }

    [Fact]
    public async Task The_cleanup_provisioner_runs_on_the_instance_and_the_original_error_and_progress_stay()
    {
        var (aws, step, state) = Arrange(Cleanup);
        aws.QueueInvocations(new CommandInvocation("", "InProgress"), new CommandInvocation("", "Success") { ExitCode = 0, StandardOutput = "cloud-init finished" });

        var first = await step.RunAsync(state, CancellationToken.None);
        // A wait of its own, from the first check: not the failed Provision's seventh.
        Assert.Equal((false, 1), (first.Wait!.Done, first.Wait.Attempt));
        var done = await RunToEnd(step, first);

        var sent = Assert.Single(aws.SentCommands);
        Assert.Equal("i-1", sent.InstanceId);
        // Inline text travels base64-encoded in the command, as Provision sends it.
        var script = Convert.ToBase64String(Encoding.UTF8.GetBytes(ShellCommands.InlineScript(Cleanup)));
        Assert.Contains(script, string.Join('\n', sent.Commands), StringComparison.Ordinal);
        Assert.Equal("bakery build-1 error-cleanup-provisioner shell", sent.Comment);
        Assert.EndsWith("/-1", sent.OutputS3KeyPrefix, StringComparison.Ordinal);
        Assert.True(done.ErrorCleanup!.Provisioning!.Finished);
        Assert.Equal("cloud-init finished", done.ErrorCleanup.Provisioning.OutputTail);
        Assert.Null(done.ErrorCleanup.Failure);
        Assert.Equal(state.Error, done.Error);
        Assert.Equal(state.Provisioning, done.Provisioning);
        Assert.Equal(state.Build, done.Build);
    }

    [Fact]
    public async Task A_failed_cleanup_is_reported_in_packers_words_with_the_original_error_and_does_not_throw()
    {
        var (aws, step, state) = Arrange(Cleanup);
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = 1, StandardError = "tail: cannot open" });

        var done = await RunToEnd(step, state);

        var failure = done.ErrorCleanup!.Failure!;
        Assert.StartsWith("Cleanup failed: Provision: error-cleanup-provisioner (shell) ended Failed on i-1 after 1 attempt(s)", failure, StringComparison.Ordinal);
        Assert.Contains("tail: cannot open", failure, StringComparison.Ordinal);
        Assert.EndsWith($". Original Provisioning error: {OriginalMessage}", failure, StringComparison.Ordinal);
        Assert.Equal(state.Error, done.Error);
        // Called again (a redelivered invocation), it sends nothing more.
        var again = await step.RunAsync(done, CancellationToken.None);
        Assert.Single(aws.SentCommands);
        Assert.True(again.Wait!.Done);
    }

    [Fact]
    public async Task Max_retries_of_the_cleanup_provisioner_resend_it_before_it_counts_as_failed()
    {
        var (aws, step, state) = Arrange(Cleanup with { MaxRetries = 1 });
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = 1 }, new CommandInvocation("", "Success") { ExitCode = 0 });

        var done = await RunToEnd(step, state);

        Assert.Equal(2, aws.SentCommands.Count);
        Assert.Null(done.ErrorCleanup!.Failure);
    }

    [Fact]
    public async Task A_build_without_a_cleanup_provisioner_is_refused()
    {
        var (_, step, state) = Arrange(null);
        var error = await Assert.ThrowsAsync<BuildInputInvalid>(() => step.RunAsync(state, CancellationToken.None));
        Assert.Contains("no error-cleanup-provisioner", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"errorType":"LaunchFailed","errorMessage":"no capacity"}""", "no capacity")]
    [InlineData("Provision: the provisioner in progress had not finished after 40 checks", "Provision: the provisioner in progress had not finished after 40 checks")]
    [InlineData("{not json", "{not json")]
    public void The_original_message_is_the_error_documents_message_or_the_cause_as_written(string cause, string expected)
    {
        Assert.Equal(expected, ErrorCleanupStep.OriginalMessage(new ErrorInfo { Error = "X", Cause = cause }));
    }
}
