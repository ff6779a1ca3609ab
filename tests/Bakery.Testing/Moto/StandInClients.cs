using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;

namespace Bakery.Testing.Moto;

/// <summary>
/// AWS clients for a test's own setup and assertions. Deliberately plain constructors: once a
/// <see cref="MotoFixture"/> is initialized they reach moto through <c>AWS_ENDPOINT_URL</c> exactly as
/// product code does, so a test proves the standard configuration works, not a moto-specific one.
/// </summary>
public static class StandInClients
{
    public static AmazonEC2Client Ec2() => new();

    /// <summary>
    /// EC2 in one region, signing for that region as the product's regional clients do: behind <c>AWS_ENDPOINT_URL</c>
    /// the SDK would sign every region as us-east-1, and moto keeps one backend per signed region.
    /// </summary>
    public static AmazonEC2Client Ec2(string region) =>
        new(new AmazonEC2Config { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region), AuthenticationRegion = region });

    public static AmazonSimpleSystemsManagementClient Ssm() => new();

    /// <summary>SSM in one region, signing for it (see <see cref="Ec2(string)"/>).</summary>
    public static AmazonSimpleSystemsManagementClient Ssm(string region) =>
        new(new AmazonSimpleSystemsManagementConfig { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region), AuthenticationRegion = region });

    public static AmazonS3Client S3() => new();

    public static AmazonDynamoDBClient DynamoDb() => new();
}
