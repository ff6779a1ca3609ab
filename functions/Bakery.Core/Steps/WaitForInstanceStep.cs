using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Waits until the instance is running and reachable by SSM. Reachability is proven by SSM accepting a harmless
/// command (an <c>InvalidInstanceId</c> answer means the agent has not registered yet), which works the same on
/// AWS and on a stand-in. Never sleeps: answers with a wait hint and is called again.
/// </summary>
public sealed class WaitForInstanceStep(IAwsServices aws, AwsRetry retry, TimeProvider time) : IBakeStep
{
    internal const string ProbeComment = "bakery: SSM reachability probe";

    public string Name => StepNames.WaitForInstance;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var started = time.GetUtcNow();
        var build = state.RequireBuild(Name);
        var instanceId = state.RequireInstanceId(Name);
        var region = build.Builder.Region;
        var attempt = state.WaitAttempt();
        var budget = TimeSpan.FromSeconds(Polling.Budget(build.Builder.AwsPolling));

        InstanceDescription? instance = null;
        try
        {
            instance = await retry.RunAsync(
                "DescribeInstances", token => aws.Instances(region).DescribeAsync(instanceId, token), cancellationToken, "InvalidInstanceID.NotFound")
                .ConfigureAwait(false);
        }
        catch (AwsTransientError error) when (AwsErrors.HasCode(error.InnerException!, "InvalidInstanceID.NotFound"))
        {
            // EC2 is eventually consistent right after RunInstances: unknown for a while is "not yet".
        }

        var reachable = false;
        if (instance is not null)
        {
            if (instance.State is "shutting-down" or "terminated" or "stopping" or "stopped")
            {
                throw new InstanceNotReady(
                    $"WaitForInstance: instance {instanceId} is {instance.State} instead of running{(instance.StateReason is { } reason ? $": {reason}" : "")}.");
            }

            if (instance.State == "running")
            {
                reachable = await ProbeAsync(region, instanceId, build, cancellationToken).ConfigureAwait(false);
            }
        }

        var info = (state.Instance ?? new InstanceInfo { InstanceId = instanceId }) with
        {
            State = instance?.State ?? state.Instance?.State,
            AvailabilityZone = instance?.AvailabilityZone ?? state.Instance?.AvailabilityZone,
            PrivateIp = instance?.PrivateIp ?? state.Instance?.PrivateIp,
            SsmReachable = reachable,
        };
        state = state with { Instance = info };

        if (reachable)
        {
            return state.Finished();
        }

        var waited = time.GetUtcNow() - (state.Instance.LaunchedAt == default ? started : state.Instance.LaunchedAt);
        if (waited >= budget)
        {
            throw new InstanceNotReady(
                $"WaitForInstance: instance {instanceId} was not {(instance?.State == "running" ? "reachable by SSM" : "running")} after {(int)waited.TotalSeconds} s " +
                "(is the SSM agent installed and does the instance profile allow AmazonSSMManagedInstanceCore?).");
        }

        return state.CheckAgain(Name, attempt, build.Builder.AwsPolling);
    }

    private async Task<bool> ProbeAsync(string region, string instanceId, BuildPlan build, CancellationToken cancellationToken)
    {
        var onlyPowerShell = build.Provisioners.Count > 0 && build.Provisioners.All(p => p is PowerShellProvisioner);
        var request = new CommandRequest(instanceId, onlyPowerShell ? Documents.PowerShell : Documents.Shell, [onlyPowerShell ? "$null" : "true"])
        {
            ExecutionTimeoutSeconds = 60,
            Comment = ProbeComment,
        };
        try
        {
            await retry.RunAsync("SendCommand", token => aws.Commands(region).SendAsync(request, token), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception error) when (AwsErrors.HasCode(error, "InvalidInstanceId"))
        {
            return false;
        }
    }
}
