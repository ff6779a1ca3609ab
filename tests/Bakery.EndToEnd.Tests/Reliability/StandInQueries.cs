using Amazon.EC2.Model;
using Bakery.EndToEnd.Tests.Workflow;

namespace Bakery.EndToEnd.Tests.Reliability;

/// <summary>What a build left in moto, found by its <c>bakery:build-id</c> tag or by what was not there before it ran.</summary>
internal static class StandInQueries
{
    public static async Task<IReadOnlySet<string>> OwnImagesAndSnapshotsAsync(LocalBakery bakery)
    {
        var images = await bakery.Ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] });
        var snapshots = await bakery.Ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] });
        return (images.Images ?? []).Select(i => i.ImageId)
            .Concat((snapshots.Snapshots ?? []).Select(s => s.SnapshotId))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every live instance, security group and staged object of the build, as readable lines (empty: nothing left).</summary>
    public static async Task<IReadOnlyList<string>> LeftoversAsync(LocalBakery bakery, string buildId)
    {
        var left = new List<string>();
        left.AddRange((await bakery.ManagedInstancesAsync())
            .Where(i => i.State.Name != "terminated" && BelongsTo(i.Tags, buildId))
            .Select(i => $"instance {i.InstanceId} ({i.State.Name})"));
        left.AddRange((await bakery.ManagedSecurityGroupsAsync())
            .Where(g => BelongsTo(g.Tags, buildId))
            .Select(g => $"security group {g.GroupId} ({g.GroupName})"));
        left.AddRange((await bakery.KeysAsync($"staging/{buildId}")).Select(key => $"staged object {key}"));
        return left;
    }

    public static bool BelongsTo(List<Amazon.EC2.Model.Tag>? tags, string buildId) =>
        tags?.FirstOrDefault(t => t.Key == "bakery:build-id")?.Value?.StartsWith(buildId, StringComparison.Ordinal) == true;
}
