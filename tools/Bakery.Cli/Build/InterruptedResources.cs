using Amazon.EC2.Model;
using ListObjectsV2Request = Amazon.S3.Model.ListObjectsV2Request;
using Bakery.Core.Bake;
using Bakery.Local.StandIn;

namespace Bakery.Cli.Build;

/// <summary>
/// What an interrupted build left, beyond what its last known states say: a step that was running when the signal came
/// (Prepare, Launch, CreateImage, CopyImage) may have created a resource whose id never reached the CLI. Every resource a
/// build creates carries its <c>bakery:build-id</c> tag and every object it stages lies under its staging prefix, so
/// they are found by those and added to the states Teardown gets.
/// </summary>
internal static class InterruptedResources
{
    private const string BuildIdTag = "bakery:build-id";

    public static async Task<IReadOnlyList<BakeState>> AddUntrackedAsync(IReadOnlyList<BakeState> states, string buildId, StandInDescription standIn,
        CancellationToken cancellationToken)
    {
        if (states.Count == 0)
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
            var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [byTag] }, cancellationToken).ConfigureAwait(false)).Reservations ?? [];
            var instanceIds = instances.SelectMany(r => r.Instances ?? [])
                .Where(i => i.State?.Name?.Value is not ("terminated" or "shutting-down"))
                .Select(i => i.InstanceId)
                .Where(id => !known.Contains(id))
                .ToList();
            var groupIds = ((await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [byTag] }, cancellationToken).ConfigureAwait(false)).SecurityGroups ?? [])
                .Select(g => g.GroupId)
                .Where(id => !known.Contains(id))
                .ToList();
            var images = ((await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"], Filters = [byTag] }, cancellationToken).ConfigureAwait(false)).Images ?? [])
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

        return await AddStagedAsync(result, standIn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Everything under the build's staging prefix goes with the first build (Teardown keeps what lies under
    /// <c>downloads/</c>): all builds of the execution are being torn down, so no sibling still needs a shared file.
    /// </summary>
    private static async Task<IReadOnlyList<BakeState>> AddStagedAsync(List<BakeState> states, StandInDescription standIn, CancellationToken cancellationToken)
    {
        var owner = states[0];
        if (owner.StagingPrefix is not { Length: > 0 } prefix || owner.Source?.Bucket is not { } bucket)
        {
            return states;
        }

        var known = states.SelectMany(s => s.Created.StagedKeys).ToHashSet(StringComparer.Ordinal);
        var keys = new List<string>();
        using var s3 = LocalStandIn.S3(standIn.AwsEndpoint, standIn.Region);
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken)
                .ConfigureAwait(false);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key).Where(key => !known.Contains(key)));
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);

        if (keys.Count > 0)
        {
            states[0] = owner with { Created = owner.Created with { StagedKeys = [.. owner.Created.StagedKeys, .. keys] } };
        }

        return states;
    }
}
