using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;
using Bakery.Core.Tests.Steps.Fakes;

namespace Bakery.Core.Tests.Steps;

public class WaitForInstanceStepTests
{
    [Fact]
    public async Task Unknown_instance_and_unregistered_agent_mean_not_yet_then_ready()
    {
        var aws = new FakeAws();
        var clock = StepTestStates.Clock();
        var step = new WaitForInstanceStep(aws, StepTestStates.Retry(2), clock);
        var state = StepTestStates.Nginx() with { Instance = new InstanceInfo { InstanceId = "i-1", LaunchedAt = clock.GetUtcNow() } };

        var notFound = await step.RunAsync(state, CancellationToken.None);
        Assert.False(notFound.Wait!.Done);
        Assert.Equal(2, notFound.Wait.Seconds);

        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        aws.Fail("SendCommand", "InvalidInstanceId");
        var agentNotYet = await step.RunAsync(notFound, CancellationToken.None);
        Assert.False(agentNotYet.Wait!.Done);
        Assert.Equal(2, agentNotYet.Wait.Attempt);

        var ready = await step.RunAsync(agentNotYet, CancellationToken.None);
        Assert.True(ready.Wait!.Done);
        Assert.True(ready.Instance!.SsmReachable);
        Assert.Equal("true", Assert.Single(aws.SentCommands).Commands.Single());
    }

    [Fact]
    public async Task Gives_up_after_the_deadline_with_InstanceNotReady()
    {
        var aws = new FakeAws();
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        var clock = StepTestStates.Clock();
        var state = StepTestStates.Nginx() with { Instance = new InstanceInfo { InstanceId = "i-1", LaunchedAt = clock.GetUtcNow() } };
        clock.Advance(TimeSpan.FromMinutes(11));
        aws.Fail("SendCommand", "InvalidInstanceId");
        var error = await Assert.ThrowsAsync<InstanceNotReady>(
            () => new WaitForInstanceStep(aws, StepTestStates.Retry(), clock).RunAsync(state, CancellationToken.None));
        Assert.Contains("SSM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopInstance_stops_then_reports_done()
    {
        var aws = new FakeAws { InstanceStateAfterStop = "stopping" };
        aws.InstancesById["i-1"] = new InstanceDescription("i-1", "running");
        var step = new StopInstanceStep(aws, StepTestStates.Retry());
        var state = StepTestStates.Nginx() with { Instance = new InstanceInfo { InstanceId = "i-1" } };
        var stopping = await step.RunAsync(state, CancellationToken.None);
        Assert.False(stopping.Wait!.Done);
        aws.InstancesById["i-1"] = aws.InstancesById["i-1"] with { State = "stopped" };
        var stopped = await step.RunAsync(stopping, CancellationToken.None);
        Assert.True(stopped.Wait!.Done);
        Assert.Equal(1, aws.Calls["StopInstances"]);
    }
}
