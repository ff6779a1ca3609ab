using System.Text.Json;
using Bakery.Cli.Build;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Serialization;
using Bakery.Local.StepFunctions;

namespace Bakery.EndToEnd.Tests.Cli;

public sealed class OutputTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly BakeState Prepared = new()
    {
        BuildId = "b-1",
        SourceImageId = "ami-source",
        Build = new BuildPlan
        {
            Builder = new AmazonEbsBuilder { Name = "amazon-ebs", Region = "us-east-1", InstanceType = "t3.micro", AmiName = "my-ami" },
            Provisioners = [new ShellProvisioner { Scripts = [new ScriptSource("packer_provision.sh", "packer_provision.sh")] }],
        },
    };

    private static JsonElement Json(BakeState state) => JsonSerializer.SerializeToElement(state, BakeryJsonContext.Default.BakeState);

    private static StateMachineEvent Event(string type, string? state, int seconds, BakeState? input = null, BakeState? output = null,
        int? index = null, string? stateType = "Task", string? error = null, string? cause = null) => new()
        {
            Type = type,
            StateName = state,
            StateType = stateType,
            Timestamp = T0.AddSeconds(seconds),
            Index = index,
            ParentStateName = index is null ? null : "BakeEachBuild",
            Input = input is null ? null : Json(input),
            Output = output is null ? null : Json(output),
            Error = error,
            Cause = cause,
            Raw = JsonDocument.Parse("{}").RootElement.Clone(),
        };

    private static (string Text, int Exit) Render(IEnumerable<StateMachineEvent> events, bool machineReadable = false, Func<string, bool>? streamed = null)
    {
        var output = new StringWriter();
        BuildUi ui = machineReadable ? new MachineReadableUi(output, () => T0) : new HumanUi(output, color: false);
        var progress = new BuildProgress(ui, streamed);
        foreach (var evt in events)
        {
            progress.OnEvent(evt);
        }

        var exit = BuildReport.Write(ui, progress.Outcomes(), progress.TopLevelFailedStep, null, null, progress.Elapsed(T0.AddSeconds(60)));
        return (output.ToString(), exit);
    }

    private static IEnumerable<StateMachineEvent> SuccessfulRun()
    {
        var launched = Prepared with
        {
            Instance = new InstanceInfo { InstanceId = "i-0abc" },
            Created = new CreatedResources { InstanceIds = ["i-0abc"], SecurityGroupIds = ["sg-1"] },
        };
        var provisioning = launched with { Provisioning = new ProvisioningInfo { Index = 0, CommandId = "cmd-1" }, Wait = new WaitHint { Done = false, Seconds = 5 } };
        var provisioned = launched with { Provisioning = new ProvisioningInfo { Index = 1, Finished = true, OutputTail = "installed nginx\n" }, Wait = new WaitHint { Done = true } };
        var imaged = provisioned with { Image = new ImageInfo { Region = "us-east-1", ImageId = "ami-0new" }, Wait = new WaitHint { Done = true } };
        yield return Event("StateExited", "Prepare", 0, output: new BakeState { BuildId = "b-1", Builds = [Prepared] });
        yield return Event("StateEntered", "Launch", 1, input: Prepared, index: 0);
        yield return Event("StateExited", "Launch", 2, output: launched, index: 0);
        yield return Event("StateEntered", "Provision", 3, input: launched, index: 0);
        yield return Event("StateExited", "Provision", 4, output: provisioning, index: 0);
        yield return Event("StateEntered", "Provision", 5, input: provisioning, index: 0);
        yield return Event("StateExited", "Provision", 6, output: provisioned, index: 0);
        yield return Event("StateEntered", "CreateImage", 7, input: provisioned, index: 0);
        yield return Event("StateExited", "CreateImage", 8, output: imaged, index: 0);
        yield return Event("StateEntered", "BuildFinished", 9, input: imaged, index: 0, stateType: "Succeed");
        yield return Event("StateEntered", "Publish", 10, input: new BakeState { BuildId = "b-1", Results = [imaged] }, stateType: "Task");
    }

    [Fact]
    public void A_successful_run_prints_packer_progress_and_the_artifacts()
    {
        var (text, exit) = Render(SuccessfulRun());

        Assert.Equal(0, exit);
        Assert.Contains("==> amazon-ebs: Launching a source AWS instance...", text, StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs: Instance ID: i-0abc", text, StringComparison.Ordinal);
        Assert.Contains("==> amazon-ebs: Provisioning with shell script: packer_provision.sh", text, StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs: installed nginx", text, StringComparison.Ordinal);
        Assert.Contains("    amazon-ebs: (Launch took 2.0s)", text, StringComparison.Ordinal);
        Assert.Contains("Build 'amazon-ebs' finished after 9 seconds.", text, StringComparison.Ordinal);
        Assert.Contains("==> Builds finished. The artifacts of successful builds are:\n--> amazon-ebs: AMIs were created:\nus-east-1: ami-0new",
            text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_script_named_from_the_root_of_an_s3_bundle_shows_one_slash()
    {
        // ${path.root}/packer_provision.sh in a template at the bundle's root renders //packer_provision.sh in Prepare.
        var fromBundleRoot = Prepared with
        {
            Build = Prepared.Build! with { Provisioners = [new ShellProvisioner { Scripts = [new ScriptSource("//packer_provision.sh", "packer_provision.sh")] }] },
        };
        var (text, _) = Render([Event("StateExited", "Prepare", 0, output: new BakeState { BuildId = "b-1", Builds = [fromBundleRoot] }),
            Event("StateEntered", "Provision", 3, input: fromBundleRoot with { Instance = new InstanceInfo { InstanceId = "i-0abc" } }, index: 0),
            Event("StateExited", "Provision", 4, output: fromBundleRoot with { Instance = new InstanceInfo { InstanceId = "i-0abc" }, Provisioning = new ProvisioningInfo { Index = 0, CommandId = "cmd-1" } }, index: 0)]);

        Assert.Contains("==> amazon-ebs: Provisioning with shell script: /packer_provision.sh\n", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("//packer_provision.sh", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Output_a_local_instance_already_streamed_is_not_printed_again_from_the_provisioners_tail()
    {
        var (text, exit) = Render(SuccessfulRun(), streamed: target => target == "amazon-ebs");

        Assert.Equal(0, exit);
        Assert.Contains("==> amazon-ebs: Provisioning with shell script: packer_provision.sh", text, StringComparison.Ordinal);
        Assert.DoesNotContain("installed nginx", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_step_is_reported_with_its_error_name_and_cause_and_exit_code_1()
    {
        var launched = Prepared with { Instance = new InstanceInfo { InstanceId = "i-0abc" } };
        var failed = launched with { Error = new ErrorInfo { Error = "ProvisionerFailed", Cause = """{"errorType":"ProvisionerFailed","errorMessage":"script exited 2"}""" } };
        var events = new[]
        {
            Event("StateExited", "Prepare", 0, output: new BakeState { BuildId = "b-1", Builds = [Prepared] }),
            Event("StateEntered", "Provision", 1, input: launched, index: 0),
            Event("StateCaught", "Provision", 2, index: 0, error: "ProvisionerFailed", cause: failed.Error!.Cause),
            Event("StateEntered", "BuildFinished", 3, input: failed, index: 0, stateType: "Succeed"),
        };

        var (text, exit) = Render(events);

        Assert.Equal(1, exit);
        Assert.Contains("--> amazon-ebs: Provision: ProvisionerFailed: script exited 2", text.Replace("==> amazon-ebs: Provision:", "--> amazon-ebs: Provision:", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Builds finished but no artifacts were created.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Machine_readable_output_has_packers_columns_and_artifact_rows()
    {
        var (text, exit) = Render(SuccessfulRun(), machineReadable: true);
        var lines = text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(0, exit);
        Assert.Contains("1767225600,,ui,say,==> amazon-ebs: Launching a source AWS instance...", lines);
        Assert.Contains("1767225600,amazon-ebs,artifact-count,1", lines);
        Assert.Contains("1767225600,amazon-ebs,artifact,0,id,us-east-1:ami-0new", lines);
        Assert.Contains("1767225600,amazon-ebs,artifact,0,string,AMIs were created:\\nus-east-1: ami-0new\\n", lines);
        Assert.All(lines, line => Assert.Matches(@"^\d+,[^,]*,[a-z-]+(,|$)", line));
    }

    [Fact]
    public void Machine_readable_escapes_commas_and_newlines()
    {
        Assert.Equal("0,t,ui,say,a%!(PACKER_COMMA)b\\nc", MachineReadableUi.Format(DateTimeOffset.UnixEpoch, "t", "ui", "say", "a,b\nc"));
    }

    [Theory]
    [InlineData(0.85, "850 milliseconds")]
    [InlineData(1, "1 second")]
    [InlineData(125, "2 minutes 5 seconds")]
    [InlineData(3600, "1 hour")]
    public void Durations_read_like_packers(double seconds, string expected)
    {
        Assert.Equal(expected, Durations.Format(TimeSpan.FromSeconds(seconds)));
    }
}
