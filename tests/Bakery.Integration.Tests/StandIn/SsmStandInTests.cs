using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.StandIn;

/// <summary>What moto's SSM Run Command does (see docs/local-stand-in.md).</summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed class SsmStandInTests(MotoFixture moto) : IAsyncLifetime
{
    private readonly AmazonSimpleSystemsManagementClient _ssm = StandInClients.Ssm();

    public Task InitializeAsync() => moto.ResetAsync();

    public Task DisposeAsync()
    {
        _ssm.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_command_ends_Success_with_exit_code_0_and_empty_output_whatever_the_script()
    {
        var instanceId = await LaunchAsync();

        var command = (await _ssm.SendCommandAsync(new SendCommandRequest
        {
            InstanceIds = [instanceId],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["echo hello", "exit 3"] },
            TimeoutSeconds = 60,
        })).Command;
        var invocation = await _ssm.GetCommandInvocationAsync(new GetCommandInvocationRequest
        {
            CommandId = command.CommandId,
            InstanceId = instanceId,
        });

        Assert.Equal(CommandInvocationStatus.Success, invocation.Status);
        Assert.Equal(0, invocation.ResponseCode);
        Assert.True(string.IsNullOrEmpty(invocation.StandardOutputContent));
    }

    [Fact]
    public async Task A_command_for_an_unknown_instance_is_accepted_unlike_AWS()
    {
        // AWS answers InvalidInstanceId while the agent is not registered yet; moto accepts any id, so the
        // "not yet reachable" branch of WaitForInstance needs a fake.
        var command = (await _ssm.SendCommandAsync(new SendCommandRequest
        {
            InstanceIds = ["i-0000000000000000f"],
            DocumentName = "AWS-RunShellScript",
            Parameters = new Dictionary<string, List<string>> { ["commands"] = ["true"] },
        })).Command;

        Assert.False(string.IsNullOrEmpty(command.CommandId));
    }

    [Fact]
    public async Task DescribeInstanceInformation_is_not_implemented()
    {
        using var ssm = new AmazonSimpleSystemsManagementClient(new AmazonSimpleSystemsManagementConfig { MaxErrorRetry = 0 });

        var error = await Assert.ThrowsAsync<AmazonSimpleSystemsManagementException>(
            () => ssm.DescribeInstanceInformationAsync(new DescribeInstanceInformationRequest()));

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, error.StatusCode);
    }

    private static async Task<string> LaunchAsync()
    {
        using var ec2 = StandInClients.Ec2();
        var response = await ec2.RunInstancesAsync(new RunInstancesRequest
        {
            ImageId = "ami-12345678",
            InstanceType = InstanceType.T3Micro,
            MinCount = 1,
            MaxCount = 1,
        });
        return Assert.Single(response.Reservation.Instances ?? []).InstanceId;
    }
}
