using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Configuration;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Starts every instance of a build, the builder (Launch) and the test instance (TestImage), the same way: no key pair,
/// IMDSv2 unless the build file says otherwise, the builder's instance profile (so SSM reaches it), its subnet and
/// groups, tagged at launch (instance, volumes, network interface, a spot request) so EC2 authorizes each against the
/// policy's tag conditions, and the options of <see cref="CapacityFallback"/> tried in order. Idempotent through each
/// option's ClientToken: a retried call gets the same instance.
/// </summary>
internal sealed class InstanceLauncher(IAwsServices aws, BakeryConfiguration configuration, AwsRetry retry)
{
    /// <summary>The request shared by every instance of a build; the caller adds what only its instance needs.</summary>
    /// <param name="builder">The builder with its real values (<see cref="RealPlans.ActingBuilderAsync"/>).</param>
    /// <param name="securityGroupIds">The groups to launch in (the builder's, or the build's temporary group).</param>
    /// <param name="instanceTags">The instance's tags; the bakery tags and the role tag must be among them.</param>
    /// <param name="volumeTags">The volumes' tags; the bakery tags must be among them.</param>
    /// <param name="bakeryTags">The network interface's and the spot request's tags: the bakery tags.</param>
    /// <param name="clientToken">At most 64 ASCII characters, stable for every retry of this option.</param>
    /// <param name="spotRequestTags">The spot request's tags (Packer's spot_tags with the bakery tags); the bakery tags when null.</param>
    public RunInstancesRequest Request(
        AmazonEbsBuilder builder,
        string imageId,
        LaunchOption option,
        IReadOnlyList<string> securityGroupIds,
        IReadOnlyDictionary<string, string> instanceTags,
        IReadOnlyDictionary<string, string> volumeTags,
        IReadOnlyDictionary<string, string> bakeryTags,
        string clientToken,
        IReadOnlyDictionary<string, string>? spotRequestTags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(option);
        var subnetId = builder.SubnetId ?? configuration.SubnetId;
        var profile = builder.IamInstanceProfile ?? configuration.InstanceProfile;
        var metadata = builder.MetadataOptions;
        var request = new RunInstancesRequest
        {
            ImageId = imageId,
            InstanceType = InstanceType.FindValue(option.InstanceType),
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
                InstanceMetadataTags = metadata?.InstanceMetadataTags is { } metadataTags ? InstanceMetadataTagsState.FindValue(metadataTags) : null,
            },
            TagSpecifications =
            [
                new TagSpecification { ResourceType = ResourceType.Instance, Tags = ToTags(instanceTags) },
                new TagSpecification { ResourceType = ResourceType.Volume, Tags = ToTags(volumeTags) },
                // EC2 authorizes the new network interface too: it must carry the tags the policy asks for.
                new TagSpecification { ResourceType = ResourceType.NetworkInterface, Tags = ToTags(bakeryTags) },
            ],
        };

        if (option.Spot)
        {
            // The AWS-correct minimum for one spot instance: RunInstances with InstanceMarketOptions, a one-time request
            // that EC2 ends with the instance (Packer 1.6.6 builds an EC2 fleet from a launch template for the same thing).
            // The request carries spot_tags (Packer tags its spot request with them, never the instance) and the bakery
            // tags, which the policy requires on it like on everything else.
            request.InstanceMarketOptions = new InstanceMarketOptionsRequest
            {
                MarketType = MarketType.Spot,
                SpotOptions = new SpotMarketOptions
                {
                    MaxPrice = option.MaxPrice,
                    SpotInstanceType = SpotInstanceType.OneTime,
                    InstanceInterruptionBehavior = InstanceInterruptionBehavior.Terminate,
                },
            };
            request.TagSpecifications.Add(new TagSpecification { ResourceType = ResourceType.SpotInstancesRequest, Tags = ToTags(spotRequestTags ?? bakeryTags) });
        }

        if (builder.AssociatePublicIpAddress is { } associate)
        {
            // A public-IP choice is only expressible on a network interface, which then owns subnet and groups.
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

        return request;
    }

    /// <summary>
    /// Tries <paramref name="options"/> in order through <see cref="CapacityFallback"/>, each with the request
    /// <paramref name="request"/> makes for it (given the option and its position), RunInstances retried on transient errors.
    /// </summary>
    /// <param name="step">The step messages are from ("Launch", "TestImage").</param>
    public Task<CapacityLaunch> LaunchAsync(
        AmazonEbsBuilder builder,
        IReadOnlyList<LaunchOption> options,
        Func<LaunchOption, int, RunInstancesRequest> request,
        string step,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(request);
        var instances = aws.Instances(builder.Region);
        return CapacityFallback.LaunchAsync(
            builder.Name,
            options,
            (option, index, cancel) =>
            {
                var made = request(option, index);
                // The ClientToken makes RunInstances idempotent: a retried call, or a retried step, gets the same instance.
                return retry.RunAsync("RunInstances", token => instances.RunAsync(made, token), cancel);
            },
            cancellationToken,
            step);
    }

    private static List<Tag> ToTags(IReadOnlyDictionary<string, string> tags) => [.. tags.Select(tag => new Tag(tag.Key, tag.Value))];
}
