using System.Text;
using System.Text.Json;
using Amazon.EC2;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Serialization;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// The steps that act on AWS act with the real values of sensitive variables (read from the rendered plan Prepare
/// staged), while the state they hand on, their messages and the labels Bakery promises to mask (tags, description)
/// keep <c>&lt;sensitive&gt;</c>.
/// </summary>
public sealed class RealValueStepTests
{
    private const string Secret = "hunter2's-pass";
    private const string Mask = "<sensitive>";

    private static BakeState Masked(FakeAws aws, Func<string, AmazonEbsBuilder, AmazonEbsBuilder> withValue)
    {
        var state = StepTestStates.Nginx();
        var builder = state.Build!.Builder with { AmiRegions = ["us-west-2"], AmiUsers = ["123456789012"] };
        var real = state.Build with { Builder = withValue(Secret, builder) };
        aws.Store.Objects[$"{StepTestStates.Bucket}/{PrepareStep.RenderedPlanKey(StepTestStates.Prefix, "amazon-ebs")}"] =
            JsonSerializer.SerializeToUtf8Bytes(real, BakeryJsonContext.Default.BuildPlan);
        return state with { Build = state.Build with { Builder = withValue(Mask, builder) } };
    }

    private static AmazonEbsBuilder Everywhere(string value, AmazonEbsBuilder builder) => builder with
    {
        AmiName = $"app-{value}-1700000000",
        UserData = $"#!/bin/sh\necho {value}\n",
        AmiDescription = $"built with {value}",
        RunTags = new Dictionary<string, string> { ["Password"] = value },
        Tags = new Dictionary<string, string> { ["Password"] = value },
    };

    [Fact]
    public async Task Launch_runs_the_instance_with_the_real_user_data_and_masked_run_tags()
    {
        var aws = new FakeAws();
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());

        var launched = await step.RunAsync(Masked(aws, Everywhere), CancellationToken.None);

        var request = Assert.Single(aws.RunRequests);
        Assert.Equal($"#!/bin/sh\necho {Secret}\n", Encoding.UTF8.GetString(Convert.FromBase64String(request.UserData)));
        var instanceTags = request.TagSpecifications.Single(t => t.ResourceType == ResourceType.Instance).Tags;
        Assert.Contains(instanceTags, tag => tag.Key == "Password" && tag.Value == Mask);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(launched, BakeryJsonContext.Default.BakeState), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_image_and_its_copies_get_the_real_name_while_the_state_keeps_it_masked()
    {
        var aws = new FakeAws();
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "stopped");
        var state = Masked(aws, Everywhere) with { Instance = new InstanceInfo { InstanceId = "i-1", State = "stopped" } };

        var created = await new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);
        var copied = await new CopyImageStep(aws, StepTestStates.Retry()).RunAsync(created, CancellationToken.None);

        Assert.Equal(2, aws.ImagesById.Count);
        Assert.All(aws.ImagesById.Values, image => Assert.Equal($"app-{Secret}-1700000000", image.Name));
        Assert.Equal($"app-{Mask}-1700000000", copied.Image!.Name);
        Assert.Equal($"app-{Mask}-1700000000", Assert.Single(copied.Copies).Name);
        Assert.DoesNotContain(Secret, JsonSerializer.Serialize(copied, BakeryJsonContext.Default.BakeState), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_image_name_is_reported_masked()
    {
        var aws = new FakeAws();
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "stopped");
        aws.Fail("CreateImage", "InvalidAMIName.Malformed");
        var state = Masked(aws, Everywhere) with { Instance = new InstanceInfo { InstanceId = "i-1", State = "stopped" } };

        var error = await Assert.ThrowsAsync<Bakery.Core.Exceptions.ImageFailed>(
            () => new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None));

        Assert.Contains($"'app-{Mask}-1700000000'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_build_without_masked_values_reads_no_rendered_plan()
    {
        var aws = new FakeAws();
        await new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock()).RunAsync(StepTestStates.Nginx(), CancellationToken.None);

        Assert.False(aws.Calls.ContainsKey("GetObject"));
    }
}
