namespace Bakery.Core.Aws;

/// <summary>The temporary security group's life, in one region.</summary>
public interface ISecurityGroups
{
    /// <summary>
    /// Creates a group with no inbound rules (a new VPC group only has the default allow-all egress) and tags it.
    /// <paramref name="vpcId"/> null means the default VPC.
    /// </summary>
    Task<string> CreateAsync(string name, string description, string? vpcId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>Throws <c>DependencyViolation</c> while an instance still uses it, <c>InvalidGroup.NotFound</c> when gone.</summary>
    Task DeleteAsync(string groupId, CancellationToken cancellationToken);

    /// <summary>The id of the group with this name made for this build (tag <c>bakery:build-id</c>), or null.</summary>
    Task<string?> FindAsync(string name, string buildId, CancellationToken cancellationToken);

    /// <summary>The ids of the groups carrying every one of <paramref name="tags"/>.</summary>
    Task<IReadOnlyList<string>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    /// <summary>The VPC a subnet belongs to (so the group is made where the instance will be).</summary>
    Task<string?> VpcOfSubnetAsync(string subnetId, CancellationToken cancellationToken);
}
