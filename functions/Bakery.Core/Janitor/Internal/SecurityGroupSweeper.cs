using Bakery.Core.Aws;

namespace Bakery.Core.Janitor.Internal;

/// <summary>Finds the temporary security groups Launch made and deletes those of dead builds.</summary>
internal sealed class SecurityGroupSweeper(IAwsServices aws, IManagedResources managed, AwsRetry retry)
{
    public Task<IReadOnlyList<ManagedResource>> FindAsync(string region, SweepErrors errors, CancellationToken cancellationToken) =>
        errors.AttemptAsync(
            $"{region}: DescribeSecurityGroups",
            token => retry.RunAsync("EC2 DescribeSecurityGroups (managed)", t => managed.FindSecurityGroupsAsync(region, t), token),
            [],
            cancellationToken);

    /// <summary>Deletes <paramref name="doomed"/>; a group still attached to a terminating instance is pending, for the next run.</summary>
    public async Task<(IReadOnlyList<string> Deleted, IReadOnlyList<string> Pending)> SweepAsync(
        IEnumerable<ManagedResource> doomed, SweepErrors errors, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        var pending = new List<string>();
        foreach (var group in doomed)
        {
            var groups = aws.SecurityGroups(group.Region);
            try
            {
                await retry.RunAsync("EC2 DeleteSecurityGroup (janitor)", token => groups.DeleteAsync(group.Id, token), cancellationToken).ConfigureAwait(false);
                deleted.Add($"{group.Region}:{group.Id}");
            }
            catch (Exception error) when (AwsErrors.HasCode(error, "DependencyViolation"))
            {
                // Still attached to an instance that is shutting down; the next run gets it.
                pending.Add($"{group.Region}:{group.Id}");
            }
            catch (Exception error) when (AwsErrors.HasCode(error, "InvalidGroup.NotFound"))
            {
                deleted.Add($"{group.Region}:{group.Id}");
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                errors.Add($"{group.Region}: DeleteSecurityGroup {group.Id}: {error.Message}");
            }
        }

        return (deleted, pending);
    }
}
