using Bakery.Core.Aws;

namespace Bakery.Core.Janitor.Internal;

/// <summary>Finds managed builder instances and terminates those of dead builds.</summary>
internal sealed class InstanceSweeper(IAwsServices aws, IManagedResources managed, AwsRetry retry)
{
    public Task<IReadOnlyList<ManagedResource>> FindAsync(string region, SweepErrors errors, CancellationToken cancellationToken) =>
        errors.AttemptAsync(
            $"{region}: DescribeInstances",
            token => retry.RunAsync("EC2 DescribeInstances (managed)", t => managed.FindInstancesAsync(region, t), token),
            [],
            cancellationToken);

    /// <summary>Terminates <paramref name="doomed"/>, one call per region; returns what was terminated.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(IEnumerable<ManagedResource> doomed, SweepErrors errors, CancellationToken cancellationToken)
    {
        var terminated = new List<string>();
        foreach (var byRegion in doomed.GroupBy(r => r.Region, StringComparer.Ordinal))
        {
            var ids = byRegion.Select(r => r.Id).ToList();
            var instances = aws.Instances(byRegion.Key);
            if (await errors.AttemptAsync(
                    $"{byRegion.Key}: TerminateInstances {string.Join(",", ids)}",
                    token => retry.RunAsync("EC2 TerminateInstances (janitor)", t => instances.TerminateAsync(ids, t), token, "InvalidInstanceID.NotFound"),
                    cancellationToken).ConfigureAwait(false))
            {
                terminated.AddRange(ids.Select(id => $"{byRegion.Key}:{id}"));
            }
        }

        return terminated;
    }
}
