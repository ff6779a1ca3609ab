using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>The build event's shape: source, detail-type by status, the chosen bus, and a camelCase detail.</summary>
public class BuildEventTests
{
    [Theory]
    [InlineData("Succeeded", "Bakery Build Succeeded")]
    [InlineData("Failed", "Bakery Build Failed")]
    public async Task The_detail_type_follows_the_status_and_the_detail_names_the_build(string status, string detailType)
    {
        var aws = FakeAws.WithSourceImages();
        var events = new BuildEvents(aws, AwsRetry.Immediate(), "builds-bus");

        await events.PutAsync(new BuildEventDetail
        {
            BuildId = "b-1",
            Status = status,
            BuildFile = "s3://bucket/builds/web.json",
            Builds = [new BuildEventBuild { Name = "web", Amis = new Dictionary<string, string> { ["us-east-1"] = "ami-1", ["eu-west-1"] = "ami-2" } }],
            Manifests = ["s3://bucket/builds/packer-manifest.json"],
            Error = status == "Failed" ? "ProvisionerFailed" : null,
        }, CancellationToken.None);

        var (bus, put) = Assert.Single(aws.EventsApi.Put);
        Assert.Equal(("builds-bus", "bakery", detailType), (bus, put.Source, put.DetailType));
        using var detail = JsonDocument.Parse(put.Detail);
        Assert.Equal("b-1", detail.RootElement.GetProperty("buildId").GetString());
        Assert.Equal("ami-2", detail.RootElement.GetProperty("builds")[0].GetProperty("amis").GetProperty("eu-west-1").GetString());
        Assert.Equal(status == "Failed", detail.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public void Without_a_bus_name_the_default_bus()
    {
        Assert.Equal("default", new BuildEvents(FakeAws.WithSourceImages(), AwsRetry.Immediate(), null).Bus);
    }
}
