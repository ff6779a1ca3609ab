using Amazon.EC2.Model;
using Bakery.Core.Bake;
using Bakery.Local.StandIn;

namespace Bakery.Cli.Build;

/// <summary>
/// What an interrupted build left, beyond what its last known states say: a step that was running when the signal came
/// (Launch, CreateImage, CopyImage) may have created a resource whose id never reached the CLI. Every resource a build
/// creates carries its <c>bakery:build-id</c> tag, so they are found by it and added to the states Teardown gets.
/// </summary>
internal static class InterruptedResources
{
    private const string BuildIdTag = "bakery:build-id";

    public static async Task<IReadOnlyList<BakeState>> AddUntrackedAsync(IReadOnlyList<BakeState> states, string? buildId, StandInDescription standIn)
    {
        if (buildId is null || states.Count == 0)
        {
            return states;
        }

        var known = states.SelectMany(s => s.Created.InstanceIds.Concat(s.Created.SecurityGroupIds).Concat(s.Created.Images.Select(i => i.Split(':', 2)[^1])))
            .ToHashSet(StringComparer.Ordinal);
        var result = states.ToList();
        var regions = states.Select(s => s.Build?.Builder.Region).OfType<string>()
            .Concat(states.SelectMany(s => s.Build?.Builder.AmiRegions ?? []))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var region in regions)
        {
            // Teardown removes resources in its build's region; copies in other regions go with the first build.
            var index = Math.Max(0, result.FindIndex(s => s.Build?.Builder.Region == region));
            var owner = result[index];
            using var ec2 = LocalStandIn.Ec2(standIn.AwsEndpoint, region);
            var byTag = new Filter($"tag:{BuildIdTag}", [buildId]);
            var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [byTag] }).ConfigureAwait(false)).Reservations ?? [];
            var instanceIds = instances.SelectMany(r => r.Instances ?? [])
                .Where(i => i.State?.Name?.Value is not ("terminated" or "shutting-down"))
                .Select(i => i.InstanceId)
                .Where(id => !known.Contains(id))
                .ToList();
            var groupIds = ((await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [byTag] }).ConfigureAwait(false)).SecurityGroups ?? [])
                .Select(g => g.GroupId)
                .Where(id => !known.Contains(id))
                .ToList();
            var images = ((await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [byTag] }).ConfigureAwait(false)).Images ?? [])
                .Where(i => !known.Contains(i.ImageId))
                .ToList();
            if (instanceIds.Count + groupIds.Count + images.Count == 0)
            {
                continue;
            }

            result[index] = owner with
            {
                Created = owner.Created with
                {
                    InstanceIds = [.. owner.Created.InstanceIds, .. instanceIds],
                    SecurityGroupIds = [.. owner.Created.SecurityGroupIds, .. groupIds],
                    Images = [.. owner.Created.Images, .. images.Select(i => $"{region}:{i.ImageId}")],
                    Snapshots =
                    [
                        .. owner.Created.Snapshots,
                        .. images.SelectMany(i => i.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().Select(id => $"{region}:{id}"),
                    ],
                },
            };
        }

        return result;
    }
}
