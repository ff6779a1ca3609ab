using System.Text.Json.Nodes;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Steps;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// Packer's error-cleanup-provisioner through the real definition and the real bootstrap: Provision fails (its command
/// fails, <see cref="FailingCommands"/>), ErrorCleanup sends the cleanup provisioner's command to the build's instance
/// before Teardown terminates it, and the build fails with the original error; when the cleanup fails too, the cause is
/// packer's "Cleanup failed: X. Original Provisioning error: Y" and everything is still torn down.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class ErrorCleanupWorkflowTests(LocalBakery bakery, ITestOutputHelper output)
{
    private const string CleanupLine = "tail -n 100 /var/log/cloud-init-output.log";

    [Fact]
    public async Task A_failed_provision_runs_the_cleanup_provisioner_on_the_instance_then_tears_down_and_fails_with_the_original_error()
    {
        var result = await RunAsync("cleanup_runs.json");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(nameof(ProvisionerFailed), result.Error);
        Assert.Contains("Provision: provisioners[0] (shell) ended Failed", result.Cause, StringComparison.Ordinal);
        Assert.DoesNotContain("Cleanup failed", result.Cause, StringComparison.Ordinal);

        // The cleanup's command went to the build's own instance, after Provision failed and before Teardown.
        var order = result.Events.Where(e => e.Type == "StateEntered").Select(e => e.StateName).ToList();
        Assert.True(order.IndexOf(StepNames.ErrorCleanup) > order.IndexOf(StepNames.Provision));
        Assert.True(order.IndexOf(StepNames.Teardown) > order.LastIndexOf(StepNames.ErrorCleanup));
        var exits = result.Events.Where(e => e.Type == "StateExited" && e.StateName == StepNames.ErrorCleanup).Select(e => e.Output!.Value).ToList();
        Assert.True(exits[^1].GetProperty("errorCleanup").GetProperty("provisioning").GetProperty("finished").GetBoolean());
        // The first call sent the command (a finished one keeps no command id, as Provision's).
        var sent = exits[0].GetProperty("errorCleanup").GetProperty("provisioning");
        var instanceId = exits[0].GetProperty("instance").GetProperty("instanceId").GetString()!;
        var command = await CommandAsync(sent.GetProperty("commandId").GetString()!);
        // moto lists more instance ids on a command than it was sent to; its invocation on the instance is the proof.
        Assert.Contains(instanceId, command.InstanceIds);
        using (var ssm = StandInClients.Ssm())
        {
            var invocation = await ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest { CommandId = command.CommandId, InstanceId = instanceId });
            Assert.Equal("Success", invocation.Status.Value);
        }

        Assert.Contains("error-cleanup-provisioner", command.Comment, StringComparison.Ordinal);
        Assert.Equal("AWS-RunShellScript", command.DocumentName);

        await AssertTornDownAsync(result, nameof(ProvisionerFailed));
    }

    [Fact]
    public async Task A_failing_cleanup_provisioner_is_reported_in_packers_words_and_the_build_is_still_torn_down()
    {
        var result = await RunAsync("cleanup_fails.json");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        // The original error's name stays the build's; the cause says both, as packer's StepProvision words it.
        Assert.Equal(nameof(ProvisionerFailed), result.Error);
        Assert.StartsWith("Cleanup failed: Provision: error-cleanup-provisioner (shell) ended Failed", result.Cause, StringComparison.Ordinal);
        // The original as the workflow recorded it (AWS: the Lambda error document's message; the stand-in: "Name: message").
        Assert.Contains(". Original Provisioning error: ", result.Cause, StringComparison.Ordinal);
        var original = result.Cause![result.Cause!.IndexOf(". Original Provisioning error: ", StringComparison.Ordinal)..];
        Assert.Contains("Provision: provisioners[0] (shell) ended Failed", original, StringComparison.Ordinal);
        Assert.Contains(result.Events, e => e.Type == "StateEntered" && e.StateName == "ErrorCleanupFailed");

        await AssertTornDownAsync(result, nameof(ProvisionerFailed));
    }

    [Fact]
    public async Task A_build_whose_provisioners_succeed_never_runs_the_cleanup_provisioner()
    {
        var result = await RunAsync("nothing_fails.json");

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        Assert.DoesNotContain(result.Events, e => e.StateName is StepNames.ErrorCleanup or "ErrorCleanup?");
        var sent = await CommandsOfAsync(BuildIdOf(result));
        Assert.DoesNotContain(sent, c => c.Comment.Contains("error-cleanup-provisioner", StringComparison.Ordinal));
        Assert.NotEmpty(sent);
    }

    private async Task<StateMachineRunResult> RunAsync(string file)
    {
        await bakery.UploadAsync(Resource("error-cleanup"), "builds/error-cleanup/");
        var input = new JsonObject { ["template"] = $"s3://{LocalBakery.Bucket}/builds/error-cleanup/{file}" };
        var result = await bakery.Runner.RunAsync(input.ToJsonString());
        output.WriteLine($"{result.Status} {result.Error} {result.Cause} {result.Stats}");
        foreach (var e in result.Events.Where(e => e.Type is "StateEntered" or "StateFailed" or "StateRetried"))
        {
            output.WriteLine($"  {e.Type} {e.StateName}{(e.Index is { } i ? $"[{i}]" : "")} {e.Error}");
        }

        return result;
    }

    /// <summary>No live instance, group or staged object of the build is left, and the ledger has the build's error.</summary>
    private async Task AssertTornDownAsync(StateMachineRunResult result, string errorName)
    {
        var buildId = BuildIdOf(result);
        Assert.Contains(result.Events, e => e.Type == "StateExited" && e.StateName == StepNames.Teardown);
        Assert.DoesNotContain(await bakery.ManagedInstancesAsync(), i => i.State.Name != "terminated" && BelongsTo(i.Tags, buildId));
        Assert.DoesNotContain(await bakery.ManagedSecurityGroupsAsync(), g => BelongsTo(g.Tags, buildId));
        Assert.Empty(await bakery.KeysAsync($"staging/{buildId}"));
        var record = await new DynamoDbBuildLedger(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System))
            .GetAsync(buildId, CancellationToken.None);
        Assert.Equal((BuildStatus.Failed, errorName), (record!.Status, record.ErrorName));
    }

    private static async Task<Command> CommandAsync(string commandId)
    {
        using var ssm = StandInClients.Ssm();
        var listed = await ssm.ListCommandsAsync(new ListCommandsRequest { CommandId = commandId });
        return Assert.Single(listed.Commands!);
    }

    private static async Task<List<Command>> CommandsOfAsync(string buildId)
    {
        using var ssm = StandInClients.Ssm();
        var listed = await ssm.ListCommandsAsync(new ListCommandsRequest());
        return [.. (listed.Commands ?? []).Where(c => c.Comment?.Contains(buildId, StringComparison.Ordinal) == true)];
    }

    private static string BuildIdOf(StateMachineRunResult result) =>
        result.Events.First(e => e.Type == "StateExited" && e.StateName == StepNames.Prepare).Output!.Value.GetProperty("buildId").GetString()!;

    private static bool BelongsTo(List<Amazon.EC2.Model.Tag>? tags, string buildId) =>
        tags?.FirstOrDefault(t => t.Key == "bakery:build-id")?.Value?.StartsWith(buildId, StringComparison.Ordinal) == true;

    private static string Resource(string name) => Path.Combine(AppContext.BaseDirectory, "resources", "Workflow", name);
}
