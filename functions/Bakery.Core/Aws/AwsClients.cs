using System.Collections.Concurrent;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;

namespace Bakery.Core.Aws;

/// <summary>
/// The SDK clients, made once per process (one per region for the regional ones) and shared by every invocation: a
/// Lambda keeps its process warm, and a client's connection pool and credentials are worth keeping. Endpoints come
/// from the SDK's own resolution, so <c>AWS_ENDPOINT_URL</c> points everything at a stand-in without code knowing.
/// </summary>
public sealed class AwsClients : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IAmazonEC2>> ec2 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<IAmazonSimpleSystemsManagement>> ssm = new(StringComparer.Ordinal);
    private readonly Lazy<IAmazonS3> s3 = new(() => new AmazonS3Client());
    private readonly Lazy<IAmazonDynamoDB> dynamoDb = new(() => new AmazonDynamoDBClient());

    public IAmazonEC2 Ec2(string region) =>
        ec2.GetOrAdd(region, name => new Lazy<IAmazonEC2>(() => new AmazonEC2Client(RegionEndpoint.GetBySystemName(name)))).Value;

    public IAmazonSimpleSystemsManagement Ssm(string region) =>
        ssm.GetOrAdd(region, name => new Lazy<IAmazonSimpleSystemsManagement>(
            () => new AmazonSimpleSystemsManagementClient(RegionEndpoint.GetBySystemName(name)))).Value;

    /// <summary>S3 in the function's own region (the stack's bucket lives there).</summary>
    public IAmazonS3 S3 => s3.Value;

    /// <summary>DynamoDB in the function's own region (the ledger table).</summary>
    public IAmazonDynamoDB DynamoDb => dynamoDb.Value;

    public void Dispose()
    {
        foreach (var client in ec2.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        foreach (var client in ssm.Values.Where(c => c.IsValueCreated))
        {
            client.Value.Dispose();
        }

        if (s3.IsValueCreated)
        {
            s3.Value.Dispose();
        }

        if (dynamoDb.IsValueCreated)
        {
            dynamoDb.Value.Dispose();
        }
    }
}
