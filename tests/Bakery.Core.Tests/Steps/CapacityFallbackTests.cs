using Amazon.EC2;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// Capacity fallback (issue 17 feature 4): the order of types and markets, moving on only for EC2's capacity errors,
/// one client token per attempt, every attempt in the state, and a spot instance left running by StopInstance.
/// </summary>
public sealed class CapacityFallbackTests
{
    [Fact]
    public async Task Spot_tags_tag_the_spot_request_only_and_go_nowhere_when_the_attempt_falls_back_to_on_demand()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InsufficientInstanceCapacity");
        var state = Spot(capacity: new CapacitySettings { OnDemandFallback = true });
        state = state with
        {
            Build = state.Build! with
            {
                Builder = state.Build.Builder with { SpotTags = new Dictionary<string, string> { ["CostCenter"] = "images", ["From"] = "{{ .SourceAMI }}" } },
            },
        };

        await Launch(aws).RunAsync(state, CancellationToken.None);

        var spot = aws.RunRequests[0];
        var requestTags = spot.TagSpecifications.Single(t => t.ResourceType == ResourceType.SpotInstancesRequest).Tags;
        Assert.Contains(requestTags, t => t.Key == "CostCenter" && t.Value == "images");
        Assert.Contains(requestTags, t => t.Key == "From" && t.Value.StartsWith("ami-", StringComparison.Ordinal));
        Assert.Contains(requestTags, t => t.Key == "bakery:managed" && t.Value == "true");
        // Packer puts spot_tags on the request, not on the instance (run_tags do that).
        Assert.DoesNotContain(spot.TagSpecifications.Single(t => t.ResourceType == ResourceType.Instance).Tags, t => t.Key == "CostCenter");
        var onDemand = aws.RunRequests[1];
        Assert.Null(onDemand.InstanceMarketOptions);
        Assert.DoesNotContain(onDemand.TagSpecifications.SelectMany(t => t.Tags), t => t.Key == "CostCenter");
    }

    private static BakeState Spot(string price = "auto", CapacitySettings? capacity = null, params string[] spotTypes)
    {
        var state = StepTestStates.Nginx();
        var builder = state.Build!.Builder with
        {
            SpotPrice = price,
            InstanceType = spotTypes.Length > 0 ? "" : state.Build.Builder.InstanceType,
            SpotInstanceTypes = spotTypes,
        };
        return state with { Build = state.Build with { Builder = builder }, Settings = capacity is null ? null : new BakerySettings { Capacity = capacity } };
    }

    private static LaunchStep Launch(FakeAws aws) => new(aws, StepTestStates.Configuration, StepTestStates.Retry(), StepTestStates.Clock());

    [Fact]
    public void Spot_types_come_first_in_the_order_written_then_fallbacks_then_the_same_types_on_demand()
    {
        var state = Spot("0.05", new CapacitySettings { FallbackInstanceTypes = ["t2.small", "t3.small"], OnDemandFallback = true }, "t3.small", "t3a.small");

        var options = CapacityFallback.Options(state.Build!.Builder, state.Settings!.Capacity);

        Assert.Equal(
            ["t3.small (spot)", "t3a.small (spot)", "t2.small (spot)", "t3.small (on-demand)", "t3a.small (on-demand)", "t2.small (on-demand)"],
            options.Select(o => o.ToString()));
        Assert.All(options.Where(o => o.Spot), o => Assert.Equal("0.05", o.MaxPrice));
    }

    [Fact]
    public void Without_settings_an_on_demand_build_has_one_option_and_auto_sets_no_max_price()
    {
        var plain = StepTestStates.Nginx().Build!.Builder;
        var only = Assert.Single(CapacityFallback.Options(plain, null));
        Assert.False(only.Spot);
        Assert.Equal(plain.InstanceType, only.InstanceType);

        var auto = Assert.Single(CapacityFallback.Options(Spot().Build!.Builder, null));
        Assert.True(auto.Spot);
        Assert.Null(auto.MaxPrice);
    }

    [Fact]
    public async Task Capacity_errors_move_to_the_next_type_each_with_its_own_token_and_every_attempt_is_in_the_state()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InsufficientInstanceCapacity", "Unsupported");
        var state = Spot(capacity: new CapacitySettings { FallbackInstanceTypes = ["t3a.micro", "t2.micro"] });

        var launched = await Launch(aws).RunAsync(state, CancellationToken.None);

        var first = state.Build!.Builder.InstanceType;
        Assert.Equal([first, "t3a.micro", "t2.micro"], aws.RunRequests.Select(r => r.InstanceType.Value));
        Assert.Equal(3, aws.RunRequests.Select(r => r.ClientToken).Distinct().Count());
        Assert.Equal(IdempotencyTokens.For("build-1", "amazon-ebs"), aws.RunRequests[0].ClientToken);
        Assert.Collection(
            launched.LaunchAttempts,
            a => Assert.StartsWith("InsufficientInstanceCapacity", a.Error, StringComparison.Ordinal),
            a => Assert.StartsWith("Unsupported", a.Error, StringComparison.Ordinal),
            a => Assert.Equal(launched.Instance!.InstanceId, a.InstanceId));
        Assert.Equal(aws.RunRequests[2].InstanceType.Value, launched.Instance!.InstanceType);
        Assert.True(launched.Instance.Spot);
        Assert.Equal([launched.Instance.InstanceId], launched.Created.InstanceIds);
    }

    [Fact]
    public async Task Spot_requests_use_InstanceMarketOptions_one_time_and_a_tagged_request()
    {
        var aws = new FakeAws();

        await Launch(aws).RunAsync(Spot("0.04"), CancellationToken.None);

        var request = Assert.Single(aws.RunRequests);
        Assert.Equal(MarketType.Spot, request.InstanceMarketOptions.MarketType);
        Assert.Equal("0.04", request.InstanceMarketOptions.SpotOptions.MaxPrice);
        Assert.Equal(SpotInstanceType.OneTime, request.InstanceMarketOptions.SpotOptions.SpotInstanceType);
        var spotTags = request.TagSpecifications.Single(t => t.ResourceType == ResourceType.SpotInstancesRequest).Tags;
        Assert.Contains(spotTags, t => t.Key == "bakery:managed" && t.Value == "true");
    }

    [Fact]
    public async Task On_demand_fallback_launches_without_market_options_after_spot_had_no_capacity()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InsufficientInstanceCapacity");
        var state = Spot(capacity: new CapacitySettings { OnDemandFallback = true });

        var launched = await Launch(aws).RunAsync(state, CancellationToken.None);

        Assert.Equal(2, aws.RunRequests.Count);
        Assert.NotNull(aws.RunRequests[0].InstanceMarketOptions);
        Assert.Null(aws.RunRequests[1].InstanceMarketOptions);
        Assert.DoesNotContain(aws.RunRequests[1].TagSpecifications, t => t.ResourceType == ResourceType.SpotInstancesRequest);
        Assert.Equal(["spot", "on-demand"], launched.LaunchAttempts.Select(a => a.Market));
        Assert.False(launched.Instance!.Spot);
    }

    [Fact]
    public async Task When_every_option_has_no_capacity_Launch_fails_naming_each_attempt_and_removes_its_group()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InsufficientInstanceCapacity", "VcpuLimitExceeded");
        var state = StepTestStates.Nginx() with { Settings = new BakerySettings { Capacity = new CapacitySettings { FallbackInstanceTypes = ["t3a.micro"] } } };

        var error = await Assert.ThrowsAsync<LaunchFailed>(() => Launch(aws).RunAsync(state, CancellationToken.None));

        Assert.Contains("after 2 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(on-demand): InsufficientInstanceCapacity", error.Message, StringComparison.Ordinal);
        Assert.Contains("t3a.micro (on-demand): VcpuLimitExceeded", error.Message, StringComparison.Ordinal);
        Assert.Empty(aws.InstancesById);
        Assert.Equal(1, aws.Calls["DeleteSecurityGroup"]);
    }

    [Fact]
    public async Task Any_other_refusal_stops_at_once_without_trying_the_fallbacks()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InvalidAMIID.NotFound");
        var state = StepTestStates.Nginx() with { Settings = new BakerySettings { Capacity = new CapacitySettings { FallbackInstanceTypes = ["t3a.micro"] } } };

        var error = await Assert.ThrowsAsync<LaunchFailed>(() => Launch(aws).RunAsync(state, CancellationToken.None));

        Assert.Contains("InvalidAMIID.NotFound", error.Message, StringComparison.Ordinal);
        Assert.Single(aws.RunRequests);
    }

    [Fact]
    public void InsufficientInstanceCapacity_is_not_retried_as_a_5xx()
    {
        // EC2 lists InsufficientInstanceCapacity among its server (5xx) error codes.
        var error = new Amazon.Runtime.AmazonServiceException("no capacity") { ErrorCode = "InsufficientInstanceCapacity", StatusCode = System.Net.HttpStatusCode.InternalServerError };

        Assert.False(AwsErrors.IsTransient(error));
        Assert.True(CapacityErrors.IsCapacityRefusal(error));
        Assert.True(AwsErrors.IsTransient(FakeAws.Error("InternalError")));
    }

    [Fact]
    public async Task A_retried_fallback_launch_gets_the_same_instance_back()
    {
        var aws = new FakeAws();
        aws.Fail("RunInstances", "InsufficientInstanceCapacity");
        var state = Spot(capacity: new CapacitySettings { FallbackInstanceTypes = ["t3a.micro"] });
        var first = await Launch(aws).RunAsync(state, CancellationToken.None);

        // Lost response: the workflow runs Launch again from the same input; the first type still has no capacity.
        aws.Fail("RunInstances", "InsufficientInstanceCapacity");
        var second = await Launch(aws).RunAsync(state, CancellationToken.None);

        Assert.Equal(first.Instance!.InstanceId, second.Instance!.InstanceId);
        Assert.Single(aws.InstancesById);
    }

    [Fact]
    public async Task StopInstance_leaves_a_spot_instance_running_as_Packer_does()
    {
        var aws = new FakeAws();
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        var state = StepTestStates.Nginx() with { Instance = new InstanceInfo { InstanceId = "i-1", Spot = true } };

        var done = await new StopInstanceStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.True(done.Wait!.Done);
        Assert.False(aws.Calls.ContainsKey("StopInstances"));
    }

    [Fact]
    public async Task CreateImage_makes_no_attribute_change_on_a_spot_instance_as_the_amazon_plugin_skips_it()
    {
        var aws = new FakeAws { NewImageState = "pending" };
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        var state = StepTestStates.Nginx();
        state = state with
        {
            Build = state.Build! with { Builder = state.Build.Builder with { EnaSupport = true } },
            Instance = new InstanceInfo { InstanceId = "i-1", State = "running", Spot = true },
            Created = new CreatedResources { InstanceIds = ["i-1"] },
        };

        var spot = await new CreateImageStep(aws, StepTestStates.Retry()).RunAsync(state, CancellationToken.None);

        Assert.NotNull(spot.Image);
        Assert.False(aws.Calls.ContainsKey("ModifyInstanceAttribute"));
    }
}
