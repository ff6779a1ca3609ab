using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.EC2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// publish_parameter through the real definition, the real bootstrap and moto's Parameter Store: the AMI id lands in
/// every region the AMI does, a second bake makes version 2 (the first stays in the history, the rollback), a failed
/// build publishes nothing, a region that refuses puts the others back, and bad settings are refused by Prepare. The
/// build is the example examples/golden-parameter (golden.json with its golden.bakery.json).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(LocalBakeryCollection.Name)]
public sealed class PublishParameterWorkflowTests(LocalBakery bakery, ITestOutputHelper output)
{
    private const string CopyRegion = "us-west-2";
    private static readonly string[] Regions = [LocalBakery.Region, CopyRegion];

    [Fact]
    public async Task A_bake_publishes_its_ami_id_in_every_region_it_landed_in_and_a_second_bake_makes_version_2()
    {
        var prefix = await UploadAsync("publish-twice");
        const string name = "/bakery-ami/web/latest";

        var first = await BakeAsync(prefix, "bakery-e2e-publish-1");
        var second = await BakeAsync(prefix, "bakery-e2e-publish-2");

        foreach (var region in Regions)
        {
            using var ssm = StandInClients.Ssm(region);
            var parameter = (await ssm.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;
            Assert.Equal(second[region], parameter.Value);
            Assert.Equal(2, parameter.Version);
            Assert.Equal("aws:ec2:image", parameter.DataType);
            var history = (await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name })).Parameters;
            Assert.Equal([first[region], second[region]], history.OrderBy(p => p.Version).Select(p => p.Value));
        }

        Assert.NotEqual(first[LocalBakery.Region], first[CopyRegion]);
    }

    [Fact]
    public async Task A_failing_build_publishes_nothing()
    {
        var prefix = await UploadAsync("publish-failing");
        const string name = "/bakery-ami/e2e/failing/web";
        bakery.Lambda.SetFaults(LocalFaultPlan.Parse("ShareImage:ShareFailed"));
        StateMachineRunResult result;
        try
        {
            result = await RunAsync(Input(prefix, "bakery-e2e-publish-failing", new JsonObject
            {
                ["publish_parameter"] = new JsonObject { ["name"] = "/bakery-ami/e2e/failing/{{build_name}}" },
            }));
        }
        finally
        {
            bakery.Lambda.SetFaults(LocalFaultPlan.None);
        }

        Assert.Equal(nameof(ShareFailed), result.Error);
        Assert.DoesNotContain(result.Events, e => e.StateName == StepNames.PublishParameter);
        foreach (var region in Regions)
        {
            using var ssm = StandInClients.Ssm(region);
            await Assert.ThrowsAsync<ParameterNotFoundException>(() => ssm.GetParameterAsync(new GetParameterRequest { Name = name }));
        }
    }

    [Fact]
    public async Task A_region_that_refuses_fails_the_build_puts_the_written_region_back_and_keeps_the_images_for_a_resume()
    {
        var prefix = await UploadAsync("publish-refused");
        const string name = "/bakery-ami/e2e/refused/web";
        // The build region holds an earlier AMI; the copy region is at SSM's 100 versions with the oldest labelled, so
        // AWS (and moto) refuse a 101st: ParameterMaxVersionLimitExceeded.
        using (var east = StandInClients.Ssm(LocalBakery.Region))
        {
            await east.PutParameterAsync(new PutParameterRequest { Name = name, Value = "ami-0123456789abcdef0", Type = ParameterType.String, DataType = "aws:ec2:image" });
        }

        using (var west = StandInClients.Ssm(CopyRegion))
        {
            for (var version = 1; version <= 100; version++)
            {
                await west.PutParameterAsync(new PutParameterRequest
                {
                    Name = name,
                    Value = "ami-0fedcba9876543210",
                    Type = ParameterType.String,
                    DataType = "aws:ec2:image",
                    Overwrite = version > 1,
                });
            }

            await west.LabelParameterVersionAsync(new LabelParameterVersionRequest { Name = name, ParameterVersion = 1, Labels = ["known-good"] });
        }

        var result = await RunAsync(Input(prefix, "bakery-e2e-publish-refused", new JsonObject
        {
            ["publish_parameter"] = new JsonObject { ["name"] = "/bakery-ami/e2e/refused/{{build_name}}" },
        }));

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(nameof(PublishParameterFailed), result.Error);
        Assert.Contains($"SSM refused parameter {name} in {CopyRegion}: ParameterMaxVersionLimitExceeded", result.Cause, StringComparison.Ordinal);
        Assert.Contains($"{name} in {LocalBakery.Region} holds ami-0123456789abcdef0 again", result.Cause, StringComparison.Ordinal);
        using (var east = StandInClients.Ssm(LocalBakery.Region))
        {
            var parameter = (await east.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;
            Assert.Equal("ami-0123456789abcdef0", parameter.Value);
            Assert.Equal(3, parameter.Version);
        }

        using (var west = StandInClients.Ssm(CopyRegion))
        {
            var parameter = (await west.GetParameterAsync(new GetParameterRequest { Name = name })).Parameter;
            Assert.Equal(100, parameter.Version);
        }

        // No parameter names the images; Teardown kept them (both regions) for a resume, which retries PublishParameter
        // once the parameter can take a new version (docs/reliability.md#resuming-a-failed-build).
        var build = result.Events.Last(e => e.Type == "StateEntered" && e.StateName == StepNames.Teardown).Input!.Value;
        var images = new[] { build.GetProperty("image") }.Concat(build.GetProperty("copies").EnumerateArray()).ToList();
        Assert.Equal(2, images.Count);
        var finished = result.Events.Last(e => e.Type == "StateExited" && e.StateName == StepNames.Teardown).Output!.Value;
        Assert.Equal(StepNames.TagImage, finished.GetProperty("resume").GetProperty("from").GetString());
        foreach (var image in images)
        {
            using var ec2 = StandInClients.Ec2(image.GetProperty("region").GetString()!);
            var described = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [image.GetProperty("imageId").GetString()!] });
            Assert.Equal("available", Assert.Single(described.Images ?? []).State.Value);
        }
    }

    [Fact]
    public async Task Settings_with_a_mistake_are_refused_by_prepare_with_the_file_and_the_place()
    {
        var prefix = await UploadAsync("publish-misspelt");
        await bakery.S3.PutObjectAsync(new Amazon.S3.Model.PutObjectRequest
        {
            BucketName = LocalBakery.Bucket,
            Key = prefix + "golden.bakery.json",
            ContentBody = "{\n  \"publish_parameter\": {\"nmae\": \"/bakery-ami/x\"}\n}",
        });

        var result = await RunAsync(Input(prefix, "bakery-e2e-publish-misspelt", settings: null));

        Assert.Equal(nameof(BuildFileInvalid), result.Error);
        var message = MessageOf(result);
        Assert.Contains($"s3://{LocalBakery.Bucket}/{prefix}golden.bakery.json:2:25: publish_parameter.nmae: unknown key \"nmae\"", message, StringComparison.Ordinal);
        Assert.Contains("(did you mean name?)", message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Events, e => e.StateName == StepNames.Launch);
    }

    [Fact]
    public async Task A_name_outside_the_stacks_parameter_prefix_is_refused_before_anything_is_launched()
    {
        var prefix = await UploadAsync("publish-outside");

        var result = await RunAsync(Input(prefix, "bakery-e2e-publish-outside", new JsonObject
        {
            ["publish_parameter"] = new JsonObject { ["name"] = "/golden/{{build_name}}" },
        }));

        Assert.Equal(nameof(BuildFileInvalid), result.Error);
        Assert.Contains("publish_parameter.name \"/golden/web\" is outside /bakery-ami/, where this Bakery stack may write parameters", MessageOf(result), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Events, e => e.StateName == StepNames.Launch);
    }

    /// <summary>The failed step's own message (the cause is the function's error document).</summary>
    private static string MessageOf(StateMachineRunResult result) =>
        JsonDocument.Parse(result.Cause!).RootElement.GetProperty("errorMessage").GetString()!;

    /// <summary>Bakes <c>golden.json</c> under <paramref name="prefix"/>: region → AMI id.</summary>
    private async Task<Dictionary<string, string>> BakeAsync(string prefix, string imageName)
    {
        var result = await RunAsync(Input(prefix, imageName, settings: null));
        Assert.True(result.Status == ExecutionStatus.Succeeded, $"{result.Status}: {result.Error}: {result.Cause}");
        var build = Assert.Single(result.Output!.Value.GetProperty("results").EnumerateArray().ToList());
        var published = build.GetProperty("parameters").EnumerateArray().ToList();
        Assert.Equal(Regions, published.Select(p => p.GetProperty("region").GetString()));
        return new[] { build.GetProperty("image") }.Concat(build.GetProperty("copies").EnumerateArray())
            .ToDictionary(image => image.GetProperty("region").GetString()!, image => image.GetProperty("imageId").GetString()!);
    }

    private async Task<string> UploadAsync(string folder)
    {
        var prefix = $"builds/{folder}/";
        await bakery.UploadAsync(RepositoryPaths.Combine("examples", "golden-parameter"), prefix);
        return prefix;
    }

    private static JsonObject Input(string prefix, string imageName, JsonObject? settings)
    {
        var input = new JsonObject
        {
            ["template"] = $"s3://{LocalBakery.Bucket}/{prefix}golden.json",
            ["vars"] = new JsonObject { ["image_name"] = imageName },
        };
        if (settings is not null)
        {
            input["bakery"] = settings;
        }

        return input;
    }

    private async Task<StateMachineRunResult> RunAsync(JsonObject input)
    {
        var result = await bakery.Runner.RunAsync(input.ToJsonString());
        output.WriteLine($"{result.Status} {result.Error} {result.Cause} {result.Stats}");
        foreach (var e in result.Events.Where(e => e.Type is "StateEntered" or "StateFailed" or "StateRetried"))
        {
            output.WriteLine($"  {e.Type} {e.StateName}{(e.Index is { } i ? $"[{i}]" : "")} {e.Error}");
        }

        return result;
    }
}
