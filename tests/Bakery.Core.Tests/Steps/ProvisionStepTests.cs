using System.Text;
using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Serialization;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

public class ProvisionStepTests
{
    private static readonly string Script = "set -x\napt update\napt -y install nginx\n";

    private static (FakeAws Aws, ProvisionStep Step, BakeState State) Arrange(params Provisioner[] provisioners)
    {
        var aws = new FakeAws();
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/packer_provision.sh"] = Encoding.UTF8.GetBytes(Script);
        var state = StepTestStates.Nginx(provisioners) with { Instance = new InstanceInfo { InstanceId = "i-1", State = "running" } };
        return (aws, new ProvisionStep(aws, StepTestStates.Retry(), StepTestStates.Clock()), state);
    }

    /// <summary>Calls the step the way the workflow's loop does until it is done (or throws).</summary>
    private static async Task<BakeState> RunToEnd(ProvisionStep step, BakeState state)
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
    public async Task Seed_script_travels_inline_and_runs_with_Packer_execute_command()
    {
        var (aws, step, state) = Arrange();
        var first = await step.RunAsync(state, CancellationToken.None);
        Assert.False(first.Wait!.Done);
        var sent = Assert.Single(aws.SentCommands);
        Assert.Equal("AWS-RunShellScript", sent.DocumentName);
        var text = string.Join('\n', sent.Commands);
        Assert.Contains(Convert.ToBase64String(Encoding.UTF8.GetBytes(Script)), text, StringComparison.Ordinal);
        Assert.Matches(@"chmod \+x /tmp/script_\d+\.sh; PACKER_BUILDER_TYPE='amazon-ebs' PACKER_BUILD_NAME='amazon-ebs'  /tmp/script_\d+\.sh", text);

        var done = await RunToEnd(step, first);
        Assert.True(done.Provisioning!.Finished);
        Assert.Equal(1, done.Provisioning.Index);
    }

    [Fact]
    public void Environment_values_cannot_break_out_of_their_quotes()
    {
        var vars = ShellCommands.FlattenVars("b", "amazon-ebs", [new("B", "it's $(rm -rf /)"), new("A", "x")]);
        Assert.Equal("A='x' B='it'\"'\"'s $(rm -rf /)' PACKER_BUILDER_TYPE='amazon-ebs' PACKER_BUILD_NAME='b' ", vars);
    }

    [Theory]
    [InlineData("{{.Vars}} {{.Path}}", "X='{{.Path}}' ", "X='{{.Path}}'  /tmp/s.sh")]
    [InlineData("{{ .Path }} {{- .Vars -}}", "X='{{.Vars}}' ", "/tmp/s.sh X='{{.Vars}}' ")]
    public void Execute_command_fields_are_filled_in_one_pass_so_a_value_reading_a_field_stays_as_written(string executeCommand, string vars, string expected)
    {
        Assert.Equal(expected, ShellCommands.RenderExecuteCommand(executeCommand, vars, "/tmp/s.sh"));
    }

    [Fact]
    public async Task Failed_command_raises_ProvisionerFailed_with_exit_code_and_output_tail()
    {
        var (aws, step, state) = Arrange();
        var longOutput = new string('o', 20_000) + "THE-END";
        aws.QueueInvocations(
            new CommandInvocation("", "InProgress"),
            new CommandInvocation("", "Failed") { ExitCode = 100, StandardOutput = longOutput, StandardError = "E: Unable to locate package nginx" });

        var error = await Assert.ThrowsAsync<ProvisionerFailed>(() => RunToEnd(step, state));
        Assert.Equal(100, error.ExitCode);
        Assert.EndsWith("THE-END", error.OutputTail, StringComparison.Ordinal);
        Assert.True(error.OutputTail!.Length <= ProvisionStep.OutputTailChars);
        Assert.Contains("Unable to locate package", error.Message, StringComparison.Ordinal);
        Assert.Contains("provisioners[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exit_code_in_valid_exit_codes_moves_on()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["exit 2"], ValidExitCodes = [0, 2] }, new ShellProvisioner { Inline = ["true"] });
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = 2 });
        var done = await RunToEnd(step, state);
        Assert.Equal(2, done.Provisioning!.Index);
        Assert.Equal(2, aws.SentCommands.Count);
        Assert.Contains("case \" 0 2 \"", string.Join('\n', aws.SentCommands[0].Commands), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Max_retries_resends_then_succeeds()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["flaky"], MaxRetries = 2 });
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = 1 }, new CommandInvocation("", "Failed") { ExitCode = 1 });
        var done = await RunToEnd(step, state);
        Assert.True(done.Provisioning!.Finished);
        Assert.Equal(3, aws.SentCommands.Count);
    }

    [Fact]
    public async Task Retries_exhausted_fails()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["flaky"], MaxRetries = 1 });
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = 1 }, new CommandInvocation("", "Failed") { ExitCode = 1 });
        var error = await Assert.ThrowsAsync<ProvisionerFailed>(() => RunToEnd(step, state));
        Assert.Contains("2 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, aws.SentCommands.Count);
    }

    [Fact]
    public async Task Expect_disconnect_accepts_a_reboot_but_not_an_exit_code()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["reboot"], ExpectDisconnect = true });
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = null });
        Assert.True((await RunToEnd(step, state)).Provisioning!.Finished);

        (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["reboot"], ExpectDisconnect = false });
        aws.QueueInvocations(new CommandInvocation("", "Failed") { ExitCode = null });
        await Assert.ThrowsAsync<ProvisionerFailed>(() => RunToEnd(step, state));
    }

    [Fact]
    public async Task Timeout_becomes_execution_timeout_and_TimedOut_fails()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["sleep 999"], TimeoutSeconds = 30 });
        aws.QueueInvocations(new CommandInvocation("", "TimedOut"));
        var error = await Assert.ThrowsAsync<ProvisionerFailed>(() => RunToEnd(step, state));
        Assert.Equal(30, aws.SentCommands[0].ExecutionTimeoutSeconds);
        Assert.Contains("timed out after 30 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_before_waits_first_and_missing_invocation_means_not_yet()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["true"], PauseBeforeSeconds = 42 });
        var paused = await step.RunAsync(state, CancellationToken.None);
        Assert.Equal(42, paused.Wait!.Seconds);
        Assert.Empty(aws.SentCommands);

        var sent = await step.RunAsync(paused, CancellationToken.None);
        Assert.Single(aws.SentCommands);
        aws.Fail("GetCommandInvocation", "InvocationDoesNotExist");
        var notYet = await step.RunAsync(sent, CancellationToken.None);
        Assert.False(notYet.Wait!.Done);
        Assert.True((await RunToEnd(step, notYet)).Provisioning!.Finished);
    }

    /// <summary>SSM's limit on a command document (64 KB), written out so the test does not trust the code it checks.</summary>
    private const int SsmDocumentLimit = 65_536;

    private static int CommandBytes(CommandRequest sent) =>
        sent.Commands.Sum(line => JsonEncodedText.Encode(line).EncodedUtf8Bytes.Length + 3);

    [Fact]
    public async Task A_100_KB_staged_inline_script_and_content_travel_by_url_and_the_command_stays_under_SSMs_64_KB()
    {
        var (aws, step, state) = Arrange(
            new ShellProvisioner { StagedInlineKey = $"{StepTestStates.Prefix}inline/amazon-ebs/0" },
            new FileProvisioner { StagedInlineKey = $"{StepTestStates.Prefix}inline/amazon-ebs/1", Destination = "/etc/big.conf" });
        var big = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("echo 'a long inline provisioning line'\n", 3_000)));
        Assert.True(big.Length >= 100_000);
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}inline/amazon-ebs/0"] = big;
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}inline/amazon-ebs/1"] = big;

        await RunToEnd(step, state);

        Assert.Equal(2, aws.SentCommands.Count);
        Assert.All(aws.SentCommands, sent => Assert.True(CommandBytes(sent) < SsmDocumentLimit / 8, $"{CommandBytes(sent)} bytes"));
        Assert.Contains(aws.SentCommands[0].Commands, line => line.Contains($"inline/amazon-ebs/0", StringComparison.Ordinal) && line.Contains("bakery_fetch 'https://", StringComparison.Ordinal));
        Assert.Contains(aws.SentCommands[1].Commands, line => line.Contains($"inline/amazon-ebs/1", StringComparison.Ordinal) && line.Contains("'/etc/big.conf'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Many_small_scripts_share_one_inline_budget_so_the_command_stays_under_SSMs_64_KB()
    {
        var scripts = Enumerable.Range(0, 8).Select(i => new ScriptSource($"s{i}.sh", $"s{i}.sh")).ToList();
        var (aws, step, state) = Arrange(new ShellProvisioner { Scripts = scripts });
        foreach (var script in scripts)
        {
            // Each one is under the per-script inline limit; together, as base64, they would be 130 KB.
            aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/{script.BundlePath}"] = new byte[ProvisionStep.InlineLimitBytes - 100];
        }

        await step.RunAsync(state, CancellationToken.None);

        var sent = Assert.Single(aws.SentCommands);
        Assert.True(CommandBytes(sent) < SsmDocumentLimit, $"{CommandBytes(sent)} bytes");
        Assert.Contains(sent.Commands, line => line.Contains("bakery_fetch 'https://", StringComparison.Ordinal));
    }

    [Fact]
    public void A_command_over_SSMs_64_KB_is_refused_with_its_size_and_the_way_out()
    {
        var provisioner = new ShellProvisioner { Index = 3 };

        var error = Assert.Throws<BuildFileInvalid>(() => ProvisionStep.EnsureCommandFits([new string('x', 70_000)], provisioner, BuildFiles.Redactor.None));

        Assert.Contains("provisioners[3] (shell) makes an SSM command of 70,003 bytes; SendCommand accepts 65,536", error.Message, StringComparison.Ordinal);
        Assert.Contains("environment_vars", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData('x', 4096)]
    [InlineData('\u0001', 1365)]
    [InlineData('é', 1365)]
    public void Output_tails_are_cut_to_their_encoded_size_in_the_state(char character, int expectedChars)
    {
        var output = new string(character, 30_000);

        var tail = ProvisionStep.Tail(output, ProvisionStep.OutputTailChars, 8 * 1024)!;

        Assert.Equal(expectedChars, tail.Length);
        Assert.True(JsonEncodedText.Encode(tail).EncodedUtf8Bytes.Length <= 8 * 1024);
    }

    [Fact]
    public async Task A_failure_past_the_first_24000_characters_shows_the_real_tail_read_from_the_S3_output()
    {
        var (aws, step, state) = Arrange();
        var log = string.Concat(Enumerable.Range(0, 3_000).Select(i => $"compiling unit {i}\n")) + "error: the real failure is here\n";
        aws.QueueInvocations(new CommandInvocation("x", "Failed") { ExitCode = 2, StandardOutput = log[..24_000] });
        var sent = await step.RunAsync(state, CancellationToken.None);
        var request = Assert.Single(aws.SentCommands);
        Assert.Equal(StepTestStates.Bucket, request.OutputS3BucketName);
        Assert.Equal($"{StepTestStates.Prefix}logs/amazon-ebs/0", request.OutputS3KeyPrefix);
        // What SSM writes there: {prefix}/{commandId}/{instanceId}/awsrunShellScript/0.awsrunShellScript/stdout
        aws.Store.Objects[$"{StepTestStates.Bucket}/{request.OutputS3KeyPrefix}/{sent.Provisioning!.CommandId}/i-1/awsrunShellScript/0.awsrunShellScript/stdout"] =
            Encoding.UTF8.GetBytes(log);

        var error = await Assert.ThrowsAsync<ProvisionerFailed>(() => step.RunAsync(sent, CancellationToken.None));

        Assert.Contains("error: the real failure is here", error.OutputTail, StringComparison.Ordinal);
        Assert.DoesNotContain("error: the real failure", log[..24_000], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_after_waits_once_the_provisioner_succeeded_then_the_next_one_runs()
    {
        var (aws, step, state) = Arrange(new ShellProvisioner { Inline = ["true"], PauseAfterSeconds = 17 }, new ShellProvisioner { Inline = ["true"] });
        aws.QueueInvocations(new CommandInvocation("", "Success") { ExitCode = 0 });
        var sent = await step.RunAsync(state, CancellationToken.None);
        var paused = await step.RunAsync(sent, CancellationToken.None);
        Assert.Equal(17, paused.Wait!.Seconds);
        Assert.Single(aws.SentCommands);
        Assert.Equal(1, paused.Provisioning!.Index);

        var done = await RunToEnd(step, paused);
        Assert.Equal(2, aws.SentCommands.Count);
        Assert.True(done.Provisioning!.Finished);
    }

    [Fact]
    public async Task Large_scripts_travel_by_presigned_url_and_downloads_are_recorded()
    {
        var (aws, step, state) = Arrange(
            new ShellProvisioner { Scripts = [new ScriptSource("big.sh", "big.sh")] },
            new FileProvisioner { Sources = [new ScriptSource("/var/log/cloud-init.log", "")], Destination = "logs/", Direction = "download" });
        aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}files/big.sh"] = new byte[ProvisionStep.InlineLimitBytes + 1];
        var done = await RunToEnd(step, state);
        Assert.Contains(aws.SentCommands[0].Commands, line => line.Contains("bakery_fetch 'https://", StringComparison.Ordinal));
        var download = Assert.Single(done.Downloads);
        Assert.StartsWith($"{StepTestStates.Prefix}downloads/", download.Key, StringComparison.Ordinal);
        Assert.Contains(aws.SentCommands[1].Commands, line => line.Contains("-X PUT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sensitive_value_reaches_the_instance_but_not_the_state_the_failure_or_the_output_tails()
    {
        const string Secret = "hunter2-very-secret";
        ShellProvisioner Shell(string password) => new()
        {
            Inline = ["./migrate"],
            EnvironmentVars = [new("DB_PASSWORD", password), new("DB_URL", $"postgres://app:{password}@db/app")],
        };
        var (aws, step, state) = Arrange(Shell("<sensitive>"));
        var real = state.Build! with { Provisioners = [Shell(Secret)] };
        aws.Store.Objects[$"{StepTestStates.Bucket}/{PrepareStep.RenderedPlanKey(StepTestStates.Prefix, "amazon-ebs")}"] =
            JsonSerializer.SerializeToUtf8Bytes(real, BakeryJsonContext.Default.BuildPlan);
        aws.QueueInvocations(
            new CommandInvocation("*", "InProgress") { StandardOutput = $"connecting as app:{Secret}" },
            new CommandInvocation("*", "Failed") { ExitCode = 3, StandardOutput = $"connecting as app:{Secret}\nDB_PASSWORD={Secret}", StandardError = $"auth failed for {Secret}" });

        var sent = await step.RunAsync(state, CancellationToken.None);
        Assert.Contains($"DB_PASSWORD='{Secret}'", string.Join('\n', Assert.Single(aws.SentCommands).Commands), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(sent, BakeryJsonContext.Default.BakeState), StringComparison.Ordinal);

        var running = await step.RunAsync(sent, CancellationToken.None);
        Assert.Equal("connecting as app:<sensitive>", running.Provisioning!.OutputTail);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(running, BakeryJsonContext.Default.BakeState), StringComparison.Ordinal);

        var failed = await Assert.ThrowsAsync<ProvisionerFailed>(() => step.RunAsync(running, CancellationToken.None));
        Assert.Equal(3, failed.ExitCode);
        Assert.DoesNotContain(Secret, failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failed.OutputTail!, StringComparison.Ordinal);
        Assert.Equal("auth failed for <sensitive>", failed.ErrorTail);
    }

    [Fact]
    public async Task A_sensitive_value_only_in_inline_text_is_masked_in_the_output_tails_and_the_failure()
    {
        // Prepare stages inline text and leaves only its key in the plan, so nothing in the plan is masked: the plan
        // must still say which values the staged text holds, or the output would reach the state in clear text.
        const string Secret = "inline-only-s3cr3t";
        var aws = new FakeAws();
        var (file, loaded) = Prepare.TestPlans.Load(aws.Store, $$$"""
            { "variables": { "token": "{{{Secret}}}" }, "sensitive-variables": ["token"],
              "builders": [{{{Prepare.TestPlans.Builders("a")}}}],
              "provisioners": [{ "type": "shell", "inline": ["echo {{user `token`}}", "exit 3"] }] }
            """);
        var staged = await new Bakery.Core.Steps.Prepare.BundleStager(aws.Store, AwsRetry.Immediate(), file, loaded.Bundle, StepTestStates.Prefix)
            .StageAsync(loaded.Definition.Builds[0], loaded.Redactor, CancellationToken.None);
        var state = StepTestStates.Nginx() with
        {
            Build = staged.Masked,
            Source = new BuildSource { Bucket = Prepare.TestPlans.Bucket, Key = Prepare.TestPlans.Key, Prefix = Prepare.TestPlans.Prefix },
            Instance = new InstanceInfo { InstanceId = "i-1", State = "running" },
        };
        var step = new ProvisionStep(aws, StepTestStates.Retry(), StepTestStates.Clock());
        aws.QueueInvocations(new CommandInvocation("*", "Failed") { ExitCode = 3, StandardOutput = $"+ echo {Secret}\n{Secret}", StandardError = $"{Secret}: oops" });

        var sent = await step.RunAsync(state, CancellationToken.None);
        var failed = await Assert.ThrowsAsync<ProvisionerFailed>(() => step.RunAsync(sent, CancellationToken.None));

        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(staged.Masked, BakeryJsonContext.Default.BuildPlan), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, failed.Message, StringComparison.Ordinal);
        Assert.Equal("<sensitive>: oops", failed.ErrorTail);
        Assert.DoesNotContain(Secret, failed.OutputTail!, StringComparison.Ordinal);
        Assert.Contains("<sensitive>", failed.OutputTail!, StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_are_recovered_from_where_the_mask_stands_in_a_longer_string()
    {
        var shown = StepTestStates.Nginx(new ShellProvisioner { Inline = ["login <sensitive> then <sensitive>!"] }).Build!;
        var real = StepTestStates.Nginx(new ShellProvisioner { Inline = ["login alice:pw1 then tok-2!"] }).Build!;

        var redactor = PlanRedaction.RecoverSecrets(shown, real);

        Assert.Equal("<sensitive> and <sensitive> but not login", redactor.Redact("alice:pw1 and tok-2 but not login"));
    }

    [Fact]
    public async Task Folder_sources_follow_Packers_trailing_slash_rule_travel_file_by_file_in_a_transfer_list_and_a_file_beside_them_stays_a_file()
    {
        var upload = new FileProvisioner
        {
            Index = 2,
            Sources = [new ScriptSource("site/", "site"), new ScriptSource("conf", "conf"), new ScriptSource("setup.sh", "setup.sh")],
            Destination = "/opt/app/",
            SourceIsDirectory = true,
        };
        var (aws, step, state) = Arrange(upload);
        foreach (var key in new[] { "files/site/index.html", "files/site/css/a'b.css", "files/conf/x.conf", "files/setup.sh", "files/setup.sh.old" })
        {
            aws.Store.Objects[$"{StepTestStates.Bucket}/{StepTestStates.Prefix}{key}"] = [1];
        }

        var next = await step.RunAsync(state, CancellationToken.None);

        var lines = Assert.Single(aws.SentCommands).Commands.ToList();
        var text = string.Join('\n', lines);
        // "site/": the folder's contents land in the destination itself; "conf": the folder itself, under it.
        Assert.Contains("mkdir -p '/opt/app/'", lines);
        Assert.Contains("mkdir -p '/opt/app/conf'", lines);
        // The folders' files are not in the command: their URLs are in the list the command fetches first.
        var listKey = $"{StepTestStates.Prefix}transfers/amazon-ebs/2";
        Assert.Contains($"{listKey}?signed=get", text, StringComparison.Ordinal);
        Assert.DoesNotContain("index.html", text, StringComparison.Ordinal);
        var list = Encoding.UTF8.GetString(aws.Store.Objects[$"{StepTestStates.Bucket}/{listKey}"]).TrimEnd('\n').Split('\n')
            .Select(line => line.Split(' '))
            .ToDictionary(parts => Encoding.UTF8.GetString(Convert.FromBase64String(parts[0])), parts => parts[1], StringComparer.Ordinal);
        Assert.Equal(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["/opt/app/css/a'b.css"] = $"{StepTestStates.Prefix}files/site/css/a'b.css?signed=get",
                ["/opt/app/index.html"] = $"{StepTestStates.Prefix}files/site/index.html?signed=get",
                ["/opt/app/conf/x.conf"] = $"{StepTestStates.Prefix}files/conf/x.conf?signed=get",
            }.OrderBy(p => p.Key, StringComparer.Ordinal),
            list.ToDictionary(p => p.Key, p => p.Value[(p.Value.IndexOf(StepTestStates.Prefix, StringComparison.Ordinal))..], StringComparer.Ordinal).OrderBy(p => p.Key, StringComparer.Ordinal));
        // Teardown removes the list with the build's other staged keys.
        Assert.Contains($"{listKey}", next.Created.StagedKeys);
        // A plain file among folder sources is fetched as itself.
        Assert.Contains($"{StepTestStates.Prefix}files/setup.sh?signed=get", text, StringComparison.Ordinal);
        Assert.Contains("'/opt/app/setup.sh'", text, StringComparison.Ordinal);
    }
}
