using Amazon.EC2.Model;

namespace Bakery.Core.Aws;

/// <summary>The EC2 instance calls the steps make, in one region. Errors surface as the SDK's exceptions (classify with <see cref="AwsErrors"/>).</summary>
public interface IInstances
{
    /// <summary>RunInstances for exactly one instance; the request carries the ClientToken that makes it idempotent.</summary>
    Task<InstanceDescription> RunAsync(RunInstancesRequest request, CancellationToken cancellationToken);

    /// <summary>DescribeInstances for one id; throws <c>InvalidInstanceID.NotFound</c> when EC2 does not (yet) know it.</summary>
    Task<InstanceDescription> DescribeAsync(string instanceId, CancellationToken cancellationToken);

    /// <summary>Instances carrying every one of <paramref name="tags"/> that are not terminated (shutting-down included).</summary>
    Task<IReadOnlyList<InstanceDescription>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    Task StopAsync(string instanceId, CancellationToken cancellationToken);

    Task TerminateAsync(IReadOnlyList<string> instanceIds, CancellationToken cancellationToken);

    /// <summary>ModifyInstanceAttribute for <c>ena_support</c> / <c>sriov_support</c> (instance must be stopped).</summary>
    Task SetNetworkingAsync(string instanceId, bool? enaSupport, bool? sriovSupport, CancellationToken cancellationToken);
}
