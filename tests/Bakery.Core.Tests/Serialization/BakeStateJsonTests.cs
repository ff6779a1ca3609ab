using System.Text.Json;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Serialization;

namespace Bakery.Core.Tests.Serialization;

public class BakeStateJsonTests
{
    [Fact]
    public void MissingPropertiesKeepTheirDefaults()
    {
        var state = JsonSerializer.Deserialize("""{"buildId":"b-1","created":{}}""", BakeryJsonContext.Default.BakeState)!;

        Assert.NotNull(state.Created.InstanceIds);
        Assert.Empty(state.Created.SecurityGroupIds);
        Assert.Empty(state.Copies);
        Assert.Empty(state.Timings);
    }

    [Fact]
    public void APlanRoundTripsWithItsProvisionerTypes()
    {
        var state = new BakeState
        {
            BuildId = "b-1",
            Build = new BuildPlan
            {
                Builder = new AmazonEbsBuilder { Name = "amazon-ebs", Region = "us-east-1", InstanceType = "t3.micro", AmiName = "x-{{timestamp}}" },
                Provisioners =
                [
                    new ShellProvisioner { Inline = ["echo hi"] },
                    new FileProvisioner { Destination = "/tmp/x", Content = "x" },
                ],
            },
        };

        var json = JsonSerializer.Serialize(state, BakeryJsonContext.Default.BakeState);
        var back = JsonSerializer.Deserialize(json, BakeryJsonContext.Default.BakeState)!;

        Assert.Contains("\"type\":\"shell\"", json, StringComparison.Ordinal);
        Assert.IsType<ShellProvisioner>(back.Build!.Provisioners[0]);
        Assert.Equal("/tmp/x", Assert.IsType<FileProvisioner>(back.Build.Provisioners[1]).Destination);
        Assert.Equal(["echo hi"], ((ShellProvisioner)back.Build.Provisioners[0]).Inline);
        Assert.Empty(back.Build.Builder.Tags);
    }
}
