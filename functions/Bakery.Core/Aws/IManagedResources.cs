namespace Bakery.Core.Aws;

/// <summary>Finds what Bakery builds left in a region, by the <c>bakery:managed=true</c> tag (for the janitor): instances, groups, images, snapshots.</summary>
public interface IManagedResources
{
    /// <summary>Managed instances that are not terminated (pending, running, stopping, stopped).</summary>
    Task<IReadOnlyList<ManagedResource>> FindInstancesAsync(string region, CancellationToken cancellationToken);

    /// <summary>Managed security groups (the temporary, inbound-free groups Launch makes).</summary>
    Task<IReadOnlyList<ManagedResource>> FindSecurityGroupsAsync(string region, CancellationToken cancellationToken);

    /// <summary>This account's managed AMIs in any state, each with the snapshots it references.</summary>
    Task<IReadOnlyList<ManagedResource>> FindImagesAsync(string region, CancellationToken cancellationToken);

    /// <summary>This account's managed snapshots (tagged by TagImage/CopyImage; EC2 cannot tag them at CreateImage everywhere).</summary>
    Task<IReadOnlyList<ManagedResource>> FindSnapshotsAsync(string region, CancellationToken cancellationToken);
}
