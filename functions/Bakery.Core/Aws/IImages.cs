using Amazon.EC2.Model;

namespace Bakery.Core.Aws;

/// <summary>AMI, snapshot and tag calls, in one region.</summary>
public interface IImages
{
    /// <summary>CreateImage; returns the new image id.</summary>
    Task<string> CreateAsync(CreateImageRequest request, CancellationToken cancellationToken);

    /// <summary>CopyImage, called on the destination region; returns the copy's id.</summary>
    Task<string> CopyAsync(CopyImageRequest request, CancellationToken cancellationToken);

    /// <summary>DescribeImages for one id; throws <c>InvalidAMIID.NotFound</c> when EC2 does not (yet) know it.</summary>
    Task<ImageDescription> DescribeAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>DescribeImages with filters (e.g. <c>name</c>) and owners (e.g. <c>self</c>, <c>amazon</c>, an account id).</summary>
    Task<IReadOnlyList<ImageDescription>> FindAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters,
        IReadOnlyList<string> owners,
        CancellationToken cancellationToken);

    /// <summary>The ids of this account's snapshots carrying every one of <paramref name="tags"/>.</summary>
    Task<IReadOnlyList<string>> FindSnapshotsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    Task DeregisterAsync(string imageId, CancellationToken cancellationToken);

    Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken);

    /// <summary>CreateTags on any EC2 resources (images, snapshots, instances, volumes).</summary>
    Task TagAsync(IReadOnlyList<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>ModifyImageAttribute launchPermission add: account ids and groups (e.g. <c>all</c>).</summary>
    Task AddLaunchPermissionAsync(string imageId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken);

    /// <summary>ModifySnapshotAttribute createVolumePermission add.</summary>
    Task AddCreateVolumePermissionAsync(string snapshotId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken);
}
