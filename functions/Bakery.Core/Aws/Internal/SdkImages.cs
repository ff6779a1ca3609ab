using Amazon.EC2;
using Amazon.EC2.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkImages(IAmazonEC2 ec2) : IImages
{
    public async Task<string> CreateAsync(CreateImageRequest request, CancellationToken cancellationToken) =>
        (await ec2.CreateImageAsync(request, cancellationToken).ConfigureAwait(false)).ImageId;

    public async Task<string> CopyAsync(CopyImageRequest request, CancellationToken cancellationToken) =>
        (await ec2.CopyImageAsync(request, cancellationToken).ConfigureAwait(false)).ImageId;

    public async Task<ImageDescription> DescribeAsync(string imageId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeImagesAsync(new DescribeImagesRequest { ImageIds = [imageId] }, cancellationToken)
            .ConfigureAwait(false);
        var image = response.Images?.FirstOrDefault(i => i.ImageId == imageId)
            ?? throw new AmazonEC2Exception($"The image id '[{imageId}]' does not exist") { ErrorCode = "InvalidAMIID.NotFound" };
        return ToStatus(image);
    }

    public async Task<IReadOnlyList<ImageDescription>> FindAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, IReadOnlyList<string> owners, CancellationToken cancellationToken)
    {
        var request = new DescribeImagesRequest
        {
            Filters = [.. filters.Select(filter => new Filter(filter.Key, [.. filter.Value]))],
            Owners = owners.Count > 0 ? [.. owners] : null,
        };
        var response = await ec2.DescribeImagesAsync(request, cancellationToken).ConfigureAwait(false);
        return [.. (response.Images ?? []).Select(ToStatus)];
    }

    public async Task<IReadOnlyList<string>> FindSnapshotsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeSnapshotsAsync(
                new DescribeSnapshotsRequest { OwnerIds = ["self"], Filters = Ec2Tags.Filters(tags), NextToken = nextToken },
                cancellationToken).ConfigureAwait(false);
            found.AddRange((response.Snapshots ?? []).Select(snapshot => snapshot.SnapshotId));
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public Task DeregisterAsync(string imageId, CancellationToken cancellationToken) =>
        ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken);

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) =>
        ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken);

    public Task TagAsync(IReadOnlyList<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [.. resourceIds], Tags = Ec2Tags.ToTags(tags) }, cancellationToken);

    public Task AddLaunchPermissionAsync(
        string imageId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        ec2.ModifyImageAttributeAsync(
            new ModifyImageAttributeRequest
            {
                ImageId = imageId,
                LaunchPermission = new LaunchPermissionModifications
                {
                    Add =
                    [
                        .. userIds.Select(user => new LaunchPermission { UserId = user }),
                        .. groups.Select(group => new LaunchPermission { Group = PermissionGroup.FindValue(group) }),
                    ],
                },
            },
            cancellationToken);

    public Task AddCreateVolumePermissionAsync(
        string snapshotId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        ec2.ModifySnapshotAttributeAsync(
            new ModifySnapshotAttributeRequest
            {
                SnapshotId = snapshotId,
                CreateVolumePermission = new CreateVolumePermissionModifications
                {
                    Add =
                    [
                        .. userIds.Select(user => new CreateVolumePermission { UserId = user }),
                        .. groups.Select(group => new CreateVolumePermission { Group = PermissionGroup.FindValue(group) }),
                    ],
                },
            },
            cancellationToken);

    internal static ImageDescription ToStatus(Image image) =>
        new(image.ImageId, image.State?.Value ?? "pending")
        {
            Name = image.Name,
            StateReason = image.StateReason?.Message,
            CreationDate = image.CreationDate,
            OwnerId = image.OwnerId,
            RootDeviceType = image.RootDeviceType?.Value,
            SnapshotIds = [.. (image.BlockDeviceMappings ?? []).Select(m => m.Ebs?.SnapshotId).OfType<string>().Where(id => id.Length > 0)],
            DeprecationTime = image.DeprecationTime,
            DeregistrationProtection = image.DeregistrationProtection,
            Tags = Ec2Tags.FromTags(image.Tags),
        };
}
