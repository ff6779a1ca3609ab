using System.Globalization;
using Amazon.EC2.Model;
using Bakery.Core.Aws.Internal;

namespace Bakery.Core.Aws;

/// <summary><see cref="IManagedResources"/> over the SDK's EC2 clients (DescribeInstances / DescribeSecurityGroups / DescribeImages / DescribeSnapshots with tag filters, all pages).</summary>
public sealed class SdkManagedResources(AwsClients clients) : IManagedResources
{
    public const string ManagedTag = "bakery:managed";
    public const string BuildIdTag = "bakery:build-id";
    public const string RoleTag = "bakery:role";
    public const string BuilderInstanceRole = "builder";

    private readonly AwsClients clients = clients ?? throw new ArgumentNullException(nameof(clients));

    public async Task<IReadOnlyList<ManagedResource>> FindInstancesAsync(string region, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2(region);
        var found = new List<ManagedResource>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeInstancesAsync(
                new DescribeInstancesRequest
                {
                    Filters =
                    [
                        new Filter($"tag:{ManagedTag}", ["true"]),
                        // Builder instances only: an instance launched from a finished AMI may carry its tags.
                        new Filter($"tag:{RoleTag}", [BuilderInstanceRole]),
                        new Filter("instance-state-name", ["pending", "running", "stopping", "stopped"]),
                    ],
                    NextToken = nextToken,
                },
                cancellationToken).ConfigureAwait(false);
            foreach (var instance in (response.Reservations ?? []).SelectMany(r => r.Instances ?? []))
            {
                var tags = Ec2Tags.FromTags(instance.Tags);
                found.Add(new ManagedResource(region, instance.InstanceId, tags.GetValueOrDefault(BuildIdTag))
                {
                    CreatedAt = instance.LaunchTime is { } launched ? new DateTimeOffset(DateTime.SpecifyKind(launched, DateTimeKind.Utc)) : null,
                    State = instance.State?.Name?.Value,
                });
            }

            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public async Task<IReadOnlyList<ManagedResource>> FindSecurityGroupsAsync(string region, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2(region);
        var found = new List<ManagedResource>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeSecurityGroupsAsync(
                new DescribeSecurityGroupsRequest { Filters = [new Filter($"tag:{ManagedTag}", ["true"])], NextToken = nextToken },
                cancellationToken).ConfigureAwait(false);
            foreach (var group in response.SecurityGroups ?? [])
            {
                found.Add(new ManagedResource(region, group.GroupId, Ec2Tags.FromTags(group.Tags).GetValueOrDefault(BuildIdTag)));
            }

            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public async Task<IReadOnlyList<ManagedResource>> FindImagesAsync(string region, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2(region);
        var found = new List<ManagedResource>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeImagesAsync(
                new DescribeImagesRequest { Owners = ["self"], Filters = [new Filter($"tag:{ManagedTag}", ["true"])], NextToken = nextToken },
                cancellationToken).ConfigureAwait(false);
            foreach (var image in response.Images ?? [])
            {
                found.Add(new ManagedResource(region, image.ImageId, Ec2Tags.FromTags(image.Tags).GetValueOrDefault(BuildIdTag))
                {
                    CreatedAt = DateTimeOffset.TryParse(image.CreationDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created) ? created : null,
                    State = image.State?.Value,
                    SnapshotIds = [.. (image.BlockDeviceMappings ?? []).Select(mapping => mapping.Ebs?.SnapshotId).OfType<string>().Where(id => id.Length > 0)],
                });
            }

            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public async Task<IReadOnlyList<ManagedResource>> FindSnapshotsAsync(string region, CancellationToken cancellationToken)
    {
        var ec2 = clients.Ec2(region);
        var found = new List<ManagedResource>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeSnapshotsAsync(
                new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = [new Filter($"tag:{ManagedTag}", ["true"])], NextToken = nextToken },
                cancellationToken).ConfigureAwait(false);
            foreach (var snapshot in response.Snapshots ?? [])
            {
                found.Add(new ManagedResource(region, snapshot.SnapshotId, Ec2Tags.FromTags(snapshot.Tags).GetValueOrDefault(BuildIdTag))
                {
                    CreatedAt = snapshot.StartTime is { } started ? new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)) : null,
                    State = snapshot.State?.Value,
                });
            }

            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }
}
