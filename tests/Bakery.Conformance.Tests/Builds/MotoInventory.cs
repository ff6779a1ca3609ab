using System.Text;
using Amazon;
using Amazon.EC2;
using Amazon.EC2.Model;

namespace Bakery.Conformance.Tests.Builds;

/// <summary>
/// What a build left on moto, in every region the corpus uses, as comparable text: each AMI (name, description,
/// tags, block devices, ENA/SR-IOV, launch permissions, snapshot tags and permissions) and everything else a build
/// may leave behind (instances not terminated, volumes, key pairs, security groups, stray snapshots). Ids are left
/// out (each run makes its own); <see cref="ImageNames"/> maps them to names for the manifest and output checks.
/// Bakery's own <c>bakery:</c> tags are left out too (docs/build-files.md, "Other differences").
/// </summary>
public sealed class MotoInventory
{
    public static readonly string[] Regions = ["us-east-1", "us-west-2", "eu-west-1"];

    private MotoInventory(string images, string leftovers, IReadOnlyDictionary<string, string> imageNames)
    {
        Images = images;
        Leftovers = leftovers;
        ImageNames = imageNames;
    }

    public string Images { get; }

    public string Leftovers { get; }

    /// <summary>AMI id → <c>region/name</c>.</summary>
    public IReadOnlyDictionary<string, string> ImageNames { get; }

    public static async Task<MotoInventory> TakeAsync(Uri endpoint)
    {
        var images = new StringBuilder();
        var leftovers = new StringBuilder();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var region in Regions)
        {
            using var ec2 = new AmazonEC2Client(new AmazonEC2Config { ServiceURL = endpoint.ToString(), AuthenticationRegion = region, RegionEndpoint = RegionEndpoint.GetBySystemName(region) });
            var own = (await ec2.DescribeImagesAsync(new DescribeImagesRequest { Owners = ["self"] })).Images ?? [];
            var imageSnapshots = new HashSet<string>(StringComparer.Ordinal);
            foreach (var image in own.OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                names[image.ImageId] = $"{region}/{image.Name}";
                images.AppendLine(await DescribeImageAsync(ec2, region, image, imageSnapshots));
            }

            await DescribeLeftoversAsync(ec2, region, imageSnapshots, leftovers);
        }

        return new MotoInventory(images.ToString(), leftovers.ToString(), names);
    }

    private static async Task<string> DescribeImageAsync(AmazonEC2Client ec2, string region, Image image, HashSet<string> imageSnapshots)
    {
        var text = new StringBuilder();
        text.AppendLine($"image {region}/{image.Name}");
        text.AppendLine($"  description: {image.Description}");
        text.AppendLine($"  state: {image.State?.Value}; root: {image.RootDeviceName} ({image.RootDeviceType?.Value}); virtualization: {image.VirtualizationType?.Value}; architecture: {image.Architecture?.Value}");
        text.AppendLine($"  ena: {image.EnaSupport}; sriov: {image.SriovNetSupport}");
        text.AppendLine($"  tags: {Tags(image.Tags)}");
        var permissions = await ec2.DescribeImageAttributeAsync(new DescribeImageAttributeRequest { ImageId = image.ImageId, Attribute = "launchPermission" });
        text.AppendLine($"  launch permissions: {Permissions(permissions.ImageAttribute?.LaunchPermissions?.Select(p => p.Group?.Value is { } g ? $"group:{g}" : $"user:{p.UserId}"))}");
        foreach (var mapping in (image.BlockDeviceMappings ?? []).OrderBy(m => m.DeviceName, StringComparer.Ordinal))
        {
            var ebs = mapping.Ebs;
            text.Append($"  device {mapping.DeviceName}: virtual={mapping.VirtualName} no-device={mapping.NoDevice}");
            if (ebs is not null)
            {
                text.Append($" size={ebs.VolumeSize} type={ebs.VolumeType?.Value} delete-on-termination={ebs.DeleteOnTermination} encrypted={ebs.Encrypted} iops={ebs.Iops} throughput={ebs.Throughput} kms={ebs.KmsKeyId}");
                if (ebs.SnapshotId is { } snapshotId)
                {
                    imageSnapshots.Add(snapshotId);
                    var snapshot = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { SnapshotIds = [snapshotId] })).Snapshots?.SingleOrDefault();
                    var volumePermissions = await ec2.DescribeSnapshotAttributeAsync(new DescribeSnapshotAttributeRequest { SnapshotId = snapshotId, Attribute = SnapshotAttributeName.CreateVolumePermission });
                    text.Append($"\n    snapshot: tags: {Tags(snapshot?.Tags)}; encrypted={snapshot?.Encrypted}; create-volume permissions: {Permissions(volumePermissions.CreateVolumePermissions?.Select(p => p.Group?.Value is { } g ? $"group:{g}" : $"user:{p.UserId}"))}");
                }
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static async Task DescribeLeftoversAsync(AmazonEC2Client ec2, string region, HashSet<string> imageSnapshots, StringBuilder leftovers)
    {
        var instances = (await ec2.DescribeInstancesAsync(new DescribeInstancesRequest())).Reservations?.SelectMany(r => r.Instances ?? []) ?? [];
        foreach (var instance in instances.Where(i => i.State?.Name?.Value != "terminated"))
        {
            leftovers.AppendLine($"{region}: instance in state {instance.State?.Name?.Value}");
        }

        var volumes = (await ec2.DescribeVolumesAsync(new DescribeVolumesRequest())).Volumes ?? [];
        foreach (var volume in volumes)
        {
            leftovers.AppendLine($"{region}: volume of {volume.Size} GiB in state {volume.State?.Value}");
        }

        var keyPairs = (await ec2.DescribeKeyPairsAsync(new DescribeKeyPairsRequest())).KeyPairs ?? [];
        foreach (var keyPair in keyPairs)
        {
            leftovers.AppendLine($"{region}: key pair {keyPair.KeyName}");
        }

        var groups = (await ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest())).SecurityGroups ?? [];
        foreach (var group in groups.Where(g => g.GroupName != "default"))
        {
            leftovers.AppendLine($"{region}: security group {group.GroupName}");
        }

        // The account's own snapshots (the stand-in's moto honours OwnerIds as EC2 does: infra/local/moto-seeded-server.py).
        var snapshots = (await ec2.DescribeSnapshotsAsync(new DescribeSnapshotsRequest { OwnerIds = ["self"] })).Snapshots ?? [];
        foreach (var snapshot in snapshots.Where(s => !imageSnapshots.Contains(s.SnapshotId)))
        {
            leftovers.AppendLine($"{region}: snapshot of no image, tags {Tags(snapshot.Tags)}");
        }
    }

    private static string Tags(IEnumerable<Amazon.EC2.Model.Tag>? tags) =>
        string.Join(", ", (tags ?? [])
            .Where(t => !t.Key.StartsWith("bakery:", StringComparison.Ordinal))
            .OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => $"{t.Key}={t.Value}"));

    private static string Permissions(IEnumerable<string>? permissions) =>
        string.Join(", ", (permissions ?? []).Order(StringComparer.Ordinal));
}
