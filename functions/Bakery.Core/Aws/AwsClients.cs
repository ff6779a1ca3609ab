using System.Collections.Concurrent;
using Amazon;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Amazon.Runtime.Credentials;
using Bakery.Core.Aws.Json;

namespace Bakery.Core.Aws;

/// <summary>
/// The SDK clients, made once per process (one per region for the regional ones) and shared by every invocation: a
/// Lambda keeps its process warm, and a client's connection pool and credentials are worth keeping. Endpoints come
/// from the SDK's own resolution, so <c>AWS_ENDPOINT_URL</c> points everything at a stand-in without code knowing.
/// </summary>
/// <remarks>
/// The SDK's own retries are off (<see cref="ClientConfig.MaxErrorRetry"/> 0): every call the steps make goes through
/// <see cref="AwsRetry"/>, the one place that retries (capped exponential backoff, full jitter, known attempt count).
/// Both layers at once would multiply: the SDK's default 3 attempts inside each of AwsRetry's 6 is 18 calls and up to
/// 3 s more waiting per attempt, on an API that is already saying "slow down".
/// </remarks>
public sealed class AwsClients : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<IAmazonEC2>> ec2 = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<IAmazonSimpleSystemsManagement>> ssm = new(StringComparer.Ordinal);
    private readonly Lazy<IAmazonS3> s3 = new(() => new AmazonS3Client(S3Config()));
    private readonly Lazy<IAmazonDynamoDB> dynamoDb = new(() => new AmazonDynamoDBClient(DynamoDbConfig()));
    private readonly ConcurrentDictionary<(AwsJsonService Service, string Region), Lazy<AwsJsonClient>> json = new();
    private readonly Lazy<HttpClient> jsonHttp = new(() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
    // The SDK's own credential chain (environment, Lambda's role, profiles), resolved once like the SDK clients' own.
    private readonly Lazy<AWSCredentials> jsonCredentials = new(() => DefaultAWSCredentialsIdentityResolver.GetCredentials(null));

    public IAmazonEC2 Ec2(string region) =>
        ec2.GetOrAdd(region, name => new Lazy<IAmazonEC2>(() => new AmazonEC2Client(Ec2Config(name)))).Value;

    public IAmazonSimpleSystemsManagement Ssm(string region) =>
        ssm.GetOrAdd(region, name => new Lazy<IAmazonSimpleSystemsManagement>(() => new AmazonSimpleSystemsManagementClient(SsmConfig(name)))).Value;

    /// <summary>Secrets Manager in <paramref name="region"/>, over the JSON 1.1 client (no SDK package is served for it).</summary>
    public AwsJsonClient SecretsManager(string region) => Json(AwsJsonService.SecretsManager, region);

    /// <summary>EventBridge in the function's own region (the stack's event bus), over the JSON 1.1 client.</summary>
    public AwsJsonClient EventBridge => Json(AwsJsonService.EventBridge, OwnRegion());

    private AwsJsonClient Json(AwsJsonService service, string region) =>
        json.GetOrAdd((service, region), key => new Lazy<AwsJsonClient>(() => new AwsJsonClient(
            jsonHttp.Value,
            key.Service,
            key.Region,
            AwsJsonEndpoints.Resolve(key.Service, key.Region, Environment.GetEnvironmentVariable),
            async token => await jsonCredentials.Value.GetCredentialsAsync().WaitAsync(token).ConfigureAwait(false)))).Value;

    private static string OwnRegion() => FallbackRegionFactory.GetRegionEndpoint()?.SystemName
        ?? throw new InvalidOperationException("No AWS region is set (AWS_REGION): Bakery's functions run in the stack's region.");

    /// <summary>S3 in the function's own region (the stack's bucket lives there).</summary>
    public IAmazonS3 S3 => s3.Value;

    /// <summary>DynamoDB in the function's own region (the ledger table).</summary>
    public IAmazonDynamoDB DynamoDb => dynamoDb.Value;

    // AuthenticationRegion: a regional client signs for its own region even when AWS_ENDPOINT_URL names an endpoint
    // whose host says no region (a proxy, a stand-in); the SDK would otherwise sign every region's calls as us-east-1,
    // which AWS refuses for any other region. Without an endpoint override it is what the SDK signs with anyway.
    internal static AmazonEC2Config Ec2Config(string region) =>
        WithoutSdkRetries(new AmazonEC2Config { RegionEndpoint = RegionEndpoint.GetBySystemName(region), AuthenticationRegion = region });

    internal static AmazonSimpleSystemsManagementConfig SsmConfig(string region) =>
        WithoutSdkRetries(new AmazonSimpleSystemsManagementConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region), AuthenticationRegion = region });

    internal static AmazonS3Config S3Config() => WithoutSdkRetries(new AmazonS3Config());

    internal static AmazonDynamoDBConfig DynamoDbConfig() => WithoutSdkRetries(new AmazonDynamoDBConfig());

    /// <summary>One attempt per SDK call: <see cref="AwsRetry"/> decides about the next one (see the remarks above).</summary>
    private static TConfig WithoutSdkRetries<TConfig>(TConfig config)
        where TConfig : ClientConfig
    {
        config.RetryMode = RequestRetryMode.Standard;
        config.MaxErrorRetry = 0;
        return config;
    }

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

        if (jsonHttp.IsValueCreated)
        {
            jsonHttp.Value.Dispose();
        }

        if (dynamoDb.IsValueCreated)
        {
            dynamoDb.Value.Dispose();
        }
    }
}
