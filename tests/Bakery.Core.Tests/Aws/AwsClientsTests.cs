using Amazon;
using Amazon.Runtime;
using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Aws;

/// <summary>The SDK clients the functions use never retry on their own: AwsRetry is the single retry layer.</summary>
public class AwsClientsTests
{
    [Fact]
    public void Every_client_config_makes_one_attempt_per_call()
    {
        ClientConfig[] configs = [AwsClients.Ec2Config("eu-west-1"), AwsClients.SsmConfig("eu-west-1"), AwsClients.S3Config(), AwsClients.DynamoDbConfig()];

        Assert.All(configs, config =>
        {
            Assert.Equal(0, config.MaxErrorRetry);
            Assert.Equal(RequestRetryMode.Standard, config.RetryMode);
        });
    }

    [Fact]
    public void Regional_clients_keep_their_region()
    {
        Assert.Equal(RegionEndpoint.EUWest1, AwsClients.Ec2Config("eu-west-1").RegionEndpoint);
        Assert.Equal(RegionEndpoint.APSoutheast2, AwsClients.SsmConfig("ap-southeast-2").RegionEndpoint);
    }
}
