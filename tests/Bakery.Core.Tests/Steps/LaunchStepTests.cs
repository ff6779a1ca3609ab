using Amazon.EC2;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

public class LaunchStepTests
{
    [Fact]
    public void ClientToken_is_stable_per_build_and_builder_and_fits_EC2()
    {
        var token = IdempotencyTokens.For("build-1", "amazon-ebs");
        Assert.Equal(token, IdempotencyTokens.For("build-1", "amazon-ebs"));
        Assert.NotEqual(token, IdempotencyTokens.For("build-1", "other"));
        Assert.NotEqual(token, IdempotencyTokens.For("build-2", "amazon-ebs"));
        Assert.True(token.Length <= 64);
    }

    [Fact]
    public async Task Launch_is_ssm_only_imdsv2_and_tags_everything()
    {
        var aws = new FakeAws();
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());
        var state = await step.RunAsync(StepTestStates.Nginx(), CancellationToken.None);

        var request = Assert.Single(aws.RunRequests);
        Assert.Null(request.KeyName);
        Assert.Equal(HttpTokensState.Required, request.MetadataOptions.HttpTokens);
        Assert.Equal("bakery-builder", request.IamInstanceProfile.Name);
        Assert.Equal("ami-cd0f5cb6", request.ImageId);
        var nic = Assert.Single(request.NetworkInterfaces);
        Assert.True(nic.AssociatePublicIpAddress);
        var groupId = Assert.Single(nic.Groups);
        Assert.Equal([groupId], state.Created.SecurityGroupIds);
        Assert.Equal("true", aws.Tags[groupId]["bakery:managed"]);

        var instanceTags = request.TagSpecifications.Single(t => t.ResourceType == ResourceType.Instance).Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("Packer Builder", instanceTags["Name"]);
        Assert.Equal("build-1", instanceTags["bakery:build-id"]);
        var volumeTags = request.TagSpecifications.Single(t => t.ResourceType == ResourceType.Volume).Tags.ToDictionary(t => t.Key, t => t.Value);
        Assert.Equal("true", volumeTags["bakery:managed"]);

        Assert.Equal([state.Instance!.InstanceId], state.Created.InstanceIds);
    }

    [Fact]
    public async Task A_retried_launch_presents_the_same_token_and_gets_the_same_instance()
    {
        var aws = new FakeAws();
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());
        var first = await step.RunAsync(StepTestStates.Nginx(), CancellationToken.None);
        // EC2's describe calls are eventually consistent: the retry may not see the instance by its tags yet.
        aws.Tags.Remove(first.Instance!.InstanceId);
        var second = await step.RunAsync(StepTestStates.Nginx(), CancellationToken.None);

        Assert.Equal(first.Instance.InstanceId, second.Instance!.InstanceId);
        Assert.Single(aws.InstancesById);
        Assert.Equal(aws.RunRequests[0].ClientToken, aws.RunRequests[1].ClientToken);
    }

    [Fact]
    public async Task Throttled_RunInstances_is_retried_inside_the_step()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "RequestLimitExceeded", "RequestLimitExceeded");
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());
        var state = await step.RunAsync(StepTestStates.Nginx(), CancellationToken.None);
        Assert.NotNull(state.Instance);
        Assert.Equal(3, aws.Calls["RunInstances"]);
    }

    [Fact]
    public async Task Refused_RunInstances_is_LaunchFailed_and_throttling_exhausted_is_AwsTransientError()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InvalidParameterValue");
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());
        var refused = await Assert.ThrowsAsync<LaunchFailed>(() => step.RunAsync(StepTestStates.Nginx(), CancellationToken.None));
        Assert.Contains("InvalidParameterValue", refused.Message, StringComparison.Ordinal);

        aws.Fail("RunInstances", "Throttling", "Throttling", "Throttling", "Throttling");
        await Assert.ThrowsAsync<AwsTransientError>(() => step.RunAsync(StepTestStates.Nginx(), CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_RunInstances_deletes_the_temporary_group_it_just_made()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InvalidParameterValue");
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());

        await Assert.ThrowsAsync<LaunchFailed>(() => step.RunAsync(StepTestStates.Nginx(), CancellationToken.None));

        Assert.Equal(1, aws.Calls["CreateSecurityGroup"]);
        Assert.Equal(1, aws.Calls["DeleteSecurityGroup"]);
        Assert.Empty(aws.Groups);
    }

    [Fact]
    public async Task A_group_that_cannot_be_deleted_does_not_hide_the_launch_failure()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InvalidParameterValue");
        aws.Fail("DeleteSecurityGroup", "UnauthorizedOperation");
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());

        var error = await Assert.ThrowsAsync<LaunchFailed>(() => step.RunAsync(StepTestStates.Nginx(), CancellationToken.None));

        Assert.Contains("InvalidParameterValue", error.Message, StringComparison.Ordinal);
        Assert.Single(aws.Groups);
    }

    [Fact]
    public async Task A_retried_launch_presents_the_same_ClientToken_so_EC2_answers_with_the_same_instance()
    {
        var aws = new FakeAws();
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());
        var first = await step.RunAsync(StepTestStates.Nginx(), CancellationToken.None);
        var second = await step.RunAsync(StepTestStates.Nginx(), CancellationToken.None);

        Assert.Equal(first.Instance!.InstanceId, second.Instance!.InstanceId);
        Assert.Single(aws.InstancesById);
        Assert.Equal("amazon-ebs", aws.Tags[first.Instance.InstanceId]["bakery:builder"]);
        // Only the builder instance carries the role tag instance actions are conditioned on (an image never does).
        Assert.Equal("builder", aws.Tags[first.Instance.InstanceId]["bakery:role"]);
    }

    [Fact]
    public async Task A_sibling_builds_instance_is_not_taken_for_this_ones()
    {
        var aws = new FakeAws { IgnoreClientToken = true };
        var step = new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());
        var web = StepTestStates.Nginx();
        var worker = web with { Build = web.Build! with { Builder = web.Build.Builder with { Name = "worker" } } };

        var first = await step.RunAsync(web, CancellationToken.None);
        var second = await step.RunAsync(worker, CancellationToken.None);

        Assert.NotEqual(first.Instance!.InstanceId, second.Instance!.InstanceId);
        Assert.Equal(2, aws.Calls["RunInstances"]);
    }
}
