namespace Bakery.Core.Aws;

/// <summary>The EC2 calls the Lifecycle step makes, in one region.</summary>
public interface IImageLifecycle
{
    /// <summary>This account's images carrying every one of <paramref name="tags"/> (DescribeImages, owner self; disabled ones are not listed).</summary>
    Task<IReadOnlyList<ImageDescription>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>CreateTags on one image.</summary>
    Task TagAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>EnableImageDeprecation: EC2 deprecates the image at <paramref name="at"/> (in the future, rounded up to the minute).</summary>
    Task DeprecateAsync(string imageId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>DisableImage: nobody can launch it, it is no longer listed; its snapshots stay.</summary>
    Task DisableAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>EnableImageDeregistrationProtection (no cooldown) or DisableImageDeregistrationProtection.</summary>
    Task SetDeregistrationProtectionAsync(string imageId, bool enabled, CancellationToken cancellationToken);

    /// <summary>DeregisterImage.</summary>
    Task DeregisterAsync(string imageId, CancellationToken cancellationToken);

    /// <summary>DeleteSnapshot; a snapshot already gone is not an error.</summary>
    Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken);

    /// <summary>
    /// What still needs any of <paramref name="imageIds"/>: instances not terminated that were launched from one
    /// (DescribeInstances, filter <c>image-id</c>) and every version of every launch template naming one
    /// (DescribeLaunchTemplates, then DescribeLaunchTemplateVersions per template).
    /// </summary>
    Task<IReadOnlyList<ImageUse>> FindUsesAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken);
}
