using Amazon.Runtime;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Stops the builder instance and waits (by wait hints) until it is stopped, as Packer does before CreateImage; a spot
/// instance is left running, as Packer leaves it.
/// </summary>
public sealed class StopInstanceStep(IAwsServices aws, AwsRetry retry) : IBakeStep
{
    public string Name => StepNames.StopInstance;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var builder = state.RequireBuild(Name).Builder;
        var instanceId = state.RequireInstanceId(Name);
        var instances = aws.Instances(builder.Region);
        var attempt = state.WaitAttempt();
        if (state.Instance?.Spot == true)
        {
            // As Packer does ("Skipping instance stop, since this is a spot instance."): a one-time spot instance cannot
            // be stopped, and CreateImage reboots the running instance for a consistent image instead.
            return state.Finished();
        }

        var instance = await retry.RunAsync("DescribeInstances", token => instances.DescribeAsync(instanceId, token), cancellationToken, "InvalidInstanceID.NotFound")
            .ConfigureAwait(false);
        if (instance.State is "pending" or "running")
        {
            try
            {
                // StopInstances on an instance already stopping is a no-op, so a repeated call is harmless.
                await retry.RunAsync("StopInstances", token => instances.StopAsync(instanceId, token), cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException error) when (AwsErrors.HasCode(error, "IncorrectInstanceState"))
            {
                // pending → running transition: check again shortly.
            }

            instance = await retry.RunAsync("DescribeInstances", token => instances.DescribeAsync(instanceId, token), cancellationToken)
                .ConfigureAwait(false);
        }

        state = state with { Instance = state.Instance! with { State = instance.State } };
        if (instance.State == "stopped")
        {
            return state.Finished();
        }

        if (instance.State is "shutting-down" or "terminated")
        {
            throw new InstanceNotReady($"StopInstance: instance {instanceId} is {instance.State}; nothing to make an image of.");
        }

        return state.CheckAgainOrGiveUp(Name, attempt, builder.AwsPolling, (checks, seconds) =>
            new StepTimedOut($"StopInstance: instance {instanceId} still {instance.State} after {checks} checks ({seconds} s); aws_polling sets how long to wait."));
    }
}
