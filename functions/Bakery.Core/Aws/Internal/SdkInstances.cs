using Amazon.EC2;
using Amazon.EC2.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkInstances(IAmazonEC2 ec2) : IInstances
{
    public async Task<InstanceDescription> RunAsync(RunInstancesRequest request, CancellationToken cancellationToken)
    {
        var response = await ec2.RunInstancesAsync(request, cancellationToken).ConfigureAwait(false);
        var instance = response.Reservation?.Instances?.FirstOrDefault()
            ?? throw new InvalidOperationException("RunInstances answered without an instance.");
        return ToStatus(instance);
    }

    public async Task<InstanceDescription> DescribeAsync(string instanceId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { InstanceIds = [instanceId] }, cancellationToken)
            .ConfigureAwait(false);
        var instance = (response.Reservations ?? []).SelectMany(r => r.Instances ?? []).FirstOrDefault(i => i.InstanceId == instanceId);
        if (instance is null)
        {
            // EC2 normally answers with this error itself; keep one behaviour for callers either way.
            throw new AmazonEC2Exception($"The instance ID '{instanceId}' does not exist") { ErrorCode = "InvalidInstanceID.NotFound" };
        }

        return ToStatus(instance);
    }

    public async Task<IReadOnlyList<InstanceDescription>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var filters = Ec2Tags.Filters(tags);
        filters.Add(new Filter("instance-state-name", ["pending", "running", "shutting-down", "stopping", "stopped"]));
        var found = new List<InstanceDescription>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = filters, NextToken = nextToken }, cancellationToken)
                .ConfigureAwait(false);
            found.AddRange((response.Reservations ?? []).SelectMany(r => r.Instances ?? []).Select(ToStatus));
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public Task StopAsync(string instanceId, CancellationToken cancellationToken) =>
        ec2.StopInstancesAsync(new StopInstancesRequest { InstanceIds = [instanceId] }, cancellationToken);

    public Task TerminateAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken) =>
        ec2.TerminateInstancesAsync(new TerminateInstancesRequest { InstanceIds = [.. instanceIds] }, cancellationToken);

    public async Task SetNetworkingAsync(string instanceId, bool? enaSupport, bool? sriovSupport, CancellationToken cancellationToken)
    {
        // One attribute per ModifyInstanceAttribute call: EC2 refuses two at once.
        if (enaSupport is { } ena)
        {
            await ec2.ModifyInstanceAttributeAsync(
                new ModifyInstanceAttributeRequest { InstanceId = instanceId, EnaSupport = ena },
                cancellationToken).ConfigureAwait(false);
        }

        if (sriovSupport is true)
        {
            await ec2.ModifyInstanceAttributeAsync(
                new ModifyInstanceAttributeRequest { InstanceId = instanceId, SriovNetSupport = "simple" },
                cancellationToken).ConfigureAwait(false);
        }
    }

    private static InstanceDescription ToStatus(Instance instance) =>
        new(instance.InstanceId, instance.State?.Name?.Value ?? "pending")
        {
            AvailabilityZone = instance.Placement?.AvailabilityZone,
            PrivateIp = instance.PrivateIpAddress,
            StateReason = instance.StateReason?.Message,
        };
}
