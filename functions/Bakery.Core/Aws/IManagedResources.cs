namespace Bakery.Core.Aws;

/// <summary>Finds what Bakery builds left in a region, by the <c>bakery:managed=true</c> tag (for the janitor).</summary>
public interface IManagedResources
{
    /// <summary>Managed instances that are not terminated (pending, running, stopping, stopped).</summary>
    Task<IReadOnlyList<ManagedResource>> FindInstancesAsync(string region, CancellationToken cancellationToken);

    /// <summary>Managed security groups (the temporary, inbound-free groups Launch makes).</summary>
    Task<IReadOnlyList<ManagedResource>> FindSecurityGroupsAsync(string region, CancellationToken cancellationToken);
}
