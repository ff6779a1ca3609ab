using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Bakery.Core.Steps;
using Bakery.Testing.Moto;
using Bakery.Testing;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// The builder instance Launch starts, judged by what Launch sends (the recorded RunInstances request) and by what
/// moto then holds: IMDSv2 required unless the build file says otherwise, no key pair, no inbound rule.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(MotoCollection.Name)]
public class BuilderInstanceTests(MotoFixture moto)
{
    [Fact]
    public async Task Without_metadata_options_the_builder_requires_imdsv2_has_no_key_pair_and_its_group_no_inbound_rule()
    {
        await using var functions = await RecordedFunctions.CreateAsync(moto.Endpoint);
        var (request, instance, groups) = await LaunchAsync(functions, metadataOptions: null);

        Assert.Equal("required", request.MetadataOptions.HttpTokens.Value);
        Assert.Equal("enabled", request.MetadataOptions.HttpEndpoint.Value);
        // Not widened: EC2's default hop limit (1), or the one the source image asks for.
        Assert.Null(request.MetadataOptions.HttpPutResponseHopLimit);
        Assert.True(string.IsNullOrEmpty(request.KeyName));

        Assert.Equal("required", instance.MetadataOptions.HttpTokens.Value);
        Assert.True(string.IsNullOrEmpty(instance.KeyName), $"the builder has key pair {instance.KeyName}");
        var group = Assert.Single(groups);
        Assert.Contains(group.Tags, t => t.Key == "bakery:managed" && t.Value == "true");
        Assert.Empty(group.IpPermissions ?? []);
    }

    [Fact]
    public async Task Http_tokens_optional_in_the_build_file_is_honored_as_packer_does()
    {
        await using var functions = await RecordedFunctions.CreateAsync(moto.Endpoint);
        var (request, _, _) = await LaunchAsync(functions, new JsonObject { ["http_tokens"] = "optional", ["http_put_response_hop_limit"] = 2 });

        Assert.Equal("optional", request.MetadataOptions.HttpTokens.Value);
        Assert.Equal(2, request.MetadataOptions.HttpPutResponseHopLimit);
    }

    private static async Task<(RunInstancesRequest Request, Instance Instance, List<SecurityGroup> Groups)> LaunchAsync(RecordedFunctions functions, JsonObject? metadataOptions)
    {
        var builder = new JsonObject
        {
            ["type"] = "amazon-ebs",
            ["region"] = RecordedFunctions.Region,
            ["source_ami"] = "ami-cd0f5cb6",
            ["instance_type"] = "t3.micro",
            ["ami_name"] = $"bakery-builder-{Guid.NewGuid():N}",
            // Packer's SSH settings are accepted and ignored: they must not bring a key pair back.
            ["ssh_username"] = "ubuntu",
            ["ssh_keypair_name"] = "my-key",
        };
        if (metadataOptions is not null)
        {
            builder["metadata_options"] = metadataOptions;
        }

        var build = new JsonObject
        {
            ["builders"] = new JsonArray(builder),
            ["provisioners"] = new JsonArray(new JsonObject { ["type"] = "shell", ["inline"] = new JsonArray("true") }),
        };
        await functions.PutAsync("builds/builder/build.json", build.ToJsonString());
        var prepared = await functions.PrepareUploadAsync("builds/builder/build.json");
        var launched = await functions.RunOnceAsync(StepNames.Launch, prepared.Builds!.Single());

        var request = (RunInstancesRequest)Assert.Single(functions.Calls, c => c.Operation == "RunInstances").Request;
        var described = await functions.Setup.Ec2(RecordedFunctions.Region).DescribeInstancesAsync(
            new DescribeInstancesRequest { InstanceIds = [launched.Instance!.InstanceId] });
        var instance = described.Reservations.Single().Instances.Single();
        var groups = (await functions.Setup.Ec2(RecordedFunctions.Region).DescribeSecurityGroupsAsync(
            new DescribeSecurityGroupsRequest { GroupIds = [.. instance.SecurityGroups.Select(g => g.GroupId)] })).SecurityGroups;
        await functions.RunAsync(StepNames.Teardown, launched);
        return (request, instance, groups);
    }
}
