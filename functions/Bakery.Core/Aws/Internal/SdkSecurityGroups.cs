using Amazon.EC2;
using Amazon.EC2.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkSecurityGroups(IAmazonEC2 ec2) : ISecurityGroups
{
    public async Task<string> CreateAsync(
        string name, string description, string? vpcId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var response = await ec2.CreateSecurityGroupAsync(
            new CreateSecurityGroupRequest
            {
                GroupName = name,
                Description = description,
                VpcId = vpcId,
                TagSpecifications = [Ec2Tags.Specification(ResourceType.SecurityGroup, tags)],
            },
            cancellationToken).ConfigureAwait(false);
        return response.GroupId;
    }

    public Task DeleteAsync(string groupId, CancellationToken cancellationToken) =>
        ec2.DeleteSecurityGroupAsync(new DeleteSecurityGroupRequest { GroupId = groupId }, cancellationToken);

    public async Task<string?> FindAsync(string name, string buildId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeSecurityGroupsAsync(
            new DescribeSecurityGroupsRequest
            {
                Filters = [new Filter("group-name", [name]), new Filter("tag:bakery:build-id", [buildId])],
            },
            cancellationToken).ConfigureAwait(false);
        return response.SecurityGroups?.FirstOrDefault()?.GroupId;
    }

    public async Task<IReadOnlyList<string>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var found = new List<string>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeSecurityGroupsAsync(
                new DescribeSecurityGroupsRequest { Filters = Ec2Tags.Filters(tags), NextToken = nextToken },
                cancellationToken).ConfigureAwait(false);
            found.AddRange((response.SecurityGroups ?? []).Select(group => group.GroupId));
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public async Task<string?> VpcOfSubnetAsync(string subnetId, CancellationToken cancellationToken)
    {
        var response = await ec2.DescribeSubnetsAsync(new DescribeSubnetsRequest { SubnetIds = [subnetId] }, cancellationToken)
            .ConfigureAwait(false);
        return response.Subnets?.FirstOrDefault()?.VpcId;
    }
}
