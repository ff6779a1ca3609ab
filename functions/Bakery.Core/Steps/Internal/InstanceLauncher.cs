using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.Runtime;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Starts an instance of a build the way Launch starts the builder: no key pair, IMDSv2 unless the build file says
/// otherwise, the builder's instance profile (so SSM reaches it), its subnet and groups, tagged at launch (instance,
/// volumes, network interface) with the bakery tags and <c>bakery:role=builder</c>, so Run Command, Teardown, the janitor
/// and IAM treat it as the build's own. Idempotent through the ClientToken: a retried call gets the same instance.
/// </summary>
internal sealed class InstanceLauncher(IAwsServices aws, BakeryConfiguration configuration, AwsRetry retry)
{
    /// <param name="builder">The builder with its real values (<see cref="RealPlans.ActingBuilderAsync"/>).</param>
    /// <param name="securityGroupIds">The groups to launch in (the builder's, or the build's temporary group).</param>
    /// <param name="tags">The instance's tags; the bakery tags must be among them.</param>
    /// <param name="clientToken">At most 64 ASCII characters, stable for every retry of this launch.</param>
    /// <param name="what">How messages name the instance ("test instance").</param>
    public async Task<InstanceDescription> LaunchAsync(
        AmazonEbsBuilder builder,
        string imageId,
        string instanceType,
        IReadOnlyList<string> securityGroupIds,
        IReadOnlyDictionary<string, string> tags,
        IReadOnlyDictionary<string, string> resourceTags,
        string clientToken,
        string what,
        CancellationToken cancellationToken)
    {
        var subnetId = builder.SubnetId ?? configuration.SubnetId;
        var profile = builder.IamInstanceProfile ?? configuration.InstanceProfile;
        var metadata = builder.MetadataOptions;
        var request = new RunInstancesRequest
        {
            ImageId = imageId,
            InstanceType = InstanceType.FindValue(instanceType),
            MinCount = 1,
            MaxCount = 1,
            ClientToken = clientToken,
            IamInstanceProfile = profile.StartsWith("arn:", StringComparison.Ordinal)
                ? new IamInstanceProfileSpecification { Arn = profile }
                : new IamInstanceProfileSpecification { Name = profile },
            MetadataOptions = new InstanceMetadataOptionsRequest
            {
                HttpEndpoint = InstanceMetadataEndpointState.FindValue(metadata?.HttpEndpoint ?? "enabled"),
                HttpTokens = HttpTokensState.FindValue(metadata?.HttpTokens ?? "required"),
                HttpPutResponseHopLimit = metadata?.HttpPutResponseHopLimit,
            },
            // An instance that shuts itself down is gone, not stopped: nothing of a test instance is worth keeping.
            InstanceInitiatedShutdownBehavior = ShutdownBehavior.Terminate,
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Instance, Tags = ToTags(tags) },
                new TagSpecification { ResourceType = ResourceType.Volume, Tags = ToTags(resourceTags) },
                new TagSpecification { ResourceType = ResourceType.NetworkInterface, Tags = ToTags(resourceTags) },
            ],
        };
        if (builder.AssociatePublicIpAddress is { } associate)
        {
            request.NetworkInterfaces =
            [
                new InstanceNetworkInterfaceSpecification
                {
                    DeviceIndex = 0,
                    AssociatePublicIpAddress = associate,
                    SubnetId = subnetId,
                    Groups = [.. securityGroupIds],
                    DeleteOnTermination = true,
                },
            ];
        }
        else
        {
            request.SubnetId = subnetId;
            request.SecurityGroupIds = [.. securityGroupIds];
        }

        try
        {
            return await retry.RunAsync("RunInstances", token => aws.Instances(builder.Region).RunAsync(request, token), cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException refused) when (!AwsErrors.IsTransient(refused))
        {
            throw new LaunchFailed($"RunInstances refused the {what} for builder '{builder.Name}' ({imageId}, {instanceType}): {refused.ErrorCode}: {refused.Message}", refused);
        }
    }

    private static List<Tag> ToTags(IReadOnlyDictionary<string, string> tags) => [.. tags.Select(tag => new Tag(tag.Key, tag.Value))];
}
