using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.Local.Aws;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// Capacity fallback (issue 17 feature 4) through the real definition and the real bootstrap, with the stand-in's proxy
/// refusing capacity the way EC2 does (<see cref="Ec2CapacityPlan"/>): spot types in order, then on-demand; every
/// attempt and EC2's answer in the build's state; nothing left behind when no attempt launches; a spot instance is not
/// stopped before CreateImage. The build is the example examples/spot-capacity (spot.json with its spot.bakery.json).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class CapacityFallbackWorkflowTests(LocalBakery bakery, ITestOutputHelper output)
{
    [Fact]
    public async Task With_no_spot_capacity_anywhere_each_spot_type_is_tried_then_on_demand_launches_and_the_image_is_made()
    {
        var result = await BakeAsync("capacity-on-demand", "t3.micro:spot,t3a.micro:spot,t2.micro:spot", settings: null);

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        var build = Assert.Single(result.Output!.Value.GetProperty("results").EnumerateArray().ToList());
        var attempts = build.GetProperty("launchAttempts").EnumerateArray().ToList();
        Assert.Equal(
            ["t3.micro spot", "t3a.micro spot", "t2.micro spot", "t3.micro on-demand"],
            attempts.Select(a => $"{a.GetProperty("instanceType").GetString()} {a.GetProperty("market").GetString()}"));
        Assert.All(attempts.Take(3), a => Assert.StartsWith("InsufficientInstanceCapacity: ", a.GetProperty("error").GetString(), StringComparison.Ordinal));
        var instanceId = build.GetProperty("instance").GetProperty("instanceId").GetString();
        Assert.Equal(instanceId, attempts[3].GetProperty("instanceId").GetString());
        Assert.False(build.GetProperty("instance").GetProperty("spot").GetBoolean());
        Assert.StartsWith("ami-", build.GetProperty("image").GetProperty("imageId").GetString(), StringComparison.Ordinal);
        var described = await bakery.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId!] });
        Assert.Equal("t3.micro", described.Reservations[0].Instances[0].InstanceType.Value);
        Assert.Contains(result.Events, e => e.StateName == "StopInstance");

        // The ledger keeps the attempts of the succeeded build (the execution's history does not outlive it).
        var buildId = result.Events.First(e => e.Type == "StateExited" && e.StateName == "Prepare").Output!.Value.GetProperty("buildId").GetString()!;
        var record = await new DynamoDbBuildLedger(bakery.DynamoDb, LocalBakery.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System))
            .GetAsync(buildId, CancellationToken.None);
        Assert.Equal(BuildStatus.Succeeded, record!.Status);
        Assert.Equal(
            ["t3.micro spot ", "t3a.micro spot ", "t2.micro spot ", $"t3.micro on-demand {instanceId}"],
            record.LaunchAttempts.Select(a => $"{a.InstanceType} {a.Market} {a.InstanceId}"));
        Assert.All(record.LaunchAttempts.Take(3), a => Assert.StartsWith("InsufficientInstanceCapacity: ", a.Error, StringComparison.Ordinal));
        Assert.All(record.LaunchAttempts, a => Assert.Equal("web", a.Builder));
    }

    [Fact]
    public async Task A_spot_instance_launches_on_the_second_type_and_is_imaged_without_a_stop()
    {
        var result = await BakeAsync("capacity-spot", "t3.micro:spot", settings: null);

        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        var build = Assert.Single(result.Output!.Value.GetProperty("results").EnumerateArray().ToList());
        Assert.Equal(2, build.GetProperty("launchAttempts").GetArrayLength());
        Assert.True(build.GetProperty("instance").GetProperty("spot").GetBoolean());
        Assert.Equal("t3a.micro", build.GetProperty("instance").GetProperty("instanceType").GetString());
        var stopCalls = bakery.AwsProxy.Calls.Count(c => c.Action == "StopInstances");
        Assert.Equal(0, stopCalls);
        var described = await bakery.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [build.GetProperty("instance").GetProperty("instanceId").GetString()!] });
        Assert.Equal("spot", described.Reservations[0].Instances[0].InstanceLifecycle?.Value);
    }

    [Fact]
    public async Task When_no_type_has_capacity_Launch_fails_naming_every_attempt_and_nothing_is_left_behind()
    {
        var settings = new JsonObject { ["capacity"] = new JsonObject { ["fallback_instance_types"] = new JsonArray("t2.micro") } };
        var result = await BakeAsync("capacity-none", "t3.micro,t3a.micro,t2.micro", settings);

        Assert.Equal("LaunchFailed", result.Error);
        // The workflow's failure ends with the step's own message as the cause (or the function's error document).
        var message = result.Cause!.StartsWith('{')
            ? JsonDocument.Parse(result.Cause).RootElement.GetProperty("errorMessage").GetString()!
            : result.Cause;
        output.WriteLine(message);
        Assert.Contains("after 3 attempt(s)", message, StringComparison.Ordinal);
        foreach (var type in new[] { "t3.micro", "t3a.micro", "t2.micro" })
        {
            Assert.Contains($"{type} (spot): InsufficientInstanceCapacity", message, StringComparison.Ordinal);
        }

        var buildId = result.Events.First(e => e.StateName == "Launch" && e.Input is not null).Input!.Value.GetProperty("buildId").GetString()!;
        var left = await bakery.Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Filter("tag:bakery:build-id", [buildId])] });
        // AWSSDK v4 answers an empty list as null.
        Assert.All((left.Reservations ?? []).SelectMany(r => r.Instances ?? []), i => Assert.Equal("terminated", i.State.Name.Value));
        var groups = await bakery.Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Filter("tag:bakery:build-id", [buildId])] });
        Assert.Empty(groups.SecurityGroups ?? []);
    }

    private async Task<StateMachineRunResult> BakeAsync(string folder, string noCapacity, JsonObject? settings)
    {
        var prefix = $"builds/{folder}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "spot-capacity"), prefix);
        var input = new JsonObject
        {
            ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}spot.json",
            ["vars"] = new JsonObject { ["image_name"] = $"bakery-e2e-{folder}" },
        };
        if (settings is not null)
        {
            input["bakery"] = settings;
        }

        bakery.AwsProxy.SetCapacity(Ec2CapacityPlan.Parse(noCapacity));
        bakery.AwsProxy.SetPlan(Ec2ThrottlePlan.None);
        try
        {
            return await bakery.Runner.RunAsync(input.ToJsonString());
        }
        finally
        {
            bakery.AwsProxy.SetCapacity(Ec2CapacityPlan.None);
        }
    }
}
