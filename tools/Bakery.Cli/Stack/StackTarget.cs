using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleSystemsManagement;
using Bakery.Cli.Build;
using Bakery.Core.Aws;
using Bakery.Core.Ledger;
using Bakery.Local.StandIn;

namespace Bakery.Cli.Stack;

/// <summary>
/// The stack a command talks to and clients for it: <c>--stack NAME</c> or <c>BAKERY_STACK</c> (its config read from
/// SSM, credentials and endpoint from the SDK's usual chain, <c>AWS_ENDPOINT_URL</c> included), or else the running
/// local stand-in (<c>bakery local up</c>) for commands that only read the ledger.
/// </summary>
internal sealed class StackTarget : IDisposable
{
    private StackTarget(string name, StackConfig config, IAmazonS3 s3, IAmazonDynamoDB dynamoDb)
    {
        Name = name;
        Config = config;
        S3 = s3;
        DynamoDb = dynamoDb;
        Ledger = new DynamoDbBuildLedger(dynamoDb, config.LedgerTable, TimeProvider.System, new AwsRetry(TimeProvider.System));
    }

    public string Name { get; }
    public StackConfig Config { get; }
    public IAmazonS3 S3 { get; }
    public IAmazonDynamoDB DynamoDb { get; }
    public IBuildLedger Ledger { get; }

    /// <summary>The stack name asked for: the option, else <c>BAKERY_STACK</c>; null when neither is set.</summary>
    public static string? NameFrom(string? option) =>
        option is { Length: > 0 } ? option : Environment.GetEnvironmentVariable("BAKERY_STACK") is { Length: > 0 } env ? env : null;

    /// <exception cref="StackConfigException">The stack's config cannot be read.</exception>
    public static async Task<StackTarget> OpenAsync(string stack, CancellationToken cancellationToken)
    {
        StackConfig config;
        try
        {
            using var ssm = new AmazonSimpleSystemsManagementClient();
            config = await StackConfig.LoadAsync(ssm, stack, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonClientException error)
        {
            throw new StackConfigException($"cannot read the config of stack '{stack}' from SSM: {error.Message} (set AWS_REGION and credentials, e.g. AWS_PROFILE){LocalHint(stack)}");
        }
        catch (StackConfigException error) when (LocalHint(stack).Length > 0)
        {
            throw new StackConfigException(error.Message + LocalHint(stack));
        }

        var region = RegionEndpoint.GetBySystemName(config.Region);
        return new StackTarget(stack, config, new AmazonS3Client(new AmazonS3Config { RegionEndpoint = region }),
            new AmazonDynamoDBClient(new AmazonDynamoDBConfig { RegionEndpoint = region }));
    }

    /// <summary>
    /// The stack named by <paramref name="option"/>/<c>BAKERY_STACK</c>, or else the running local stand-in.
    /// </summary>
    /// <exception cref="StackConfigException">No stack named and no stand-in running, or the config cannot be read.</exception>
    public static async Task<StackTarget> OpenOrLocalAsync(string? option, CancellationToken cancellationToken)
    {
        if (NameFrom(option) is { } stack)
        {
            return await OpenAsync(stack, cancellationToken).ConfigureAwait(false);
        }

        var running = StandInStateFile.ReadRunning(StandInStateFile.PathFor(RepositoryRoot.Find()))
            ?? throw new StackConfigException("no stack given (--stack NAME or BAKERY_STACK) and no local stand-in running (bakery local up).");
        return ForStandIn(running);
    }

    /// <summary>The running local stand-in as a stack (its own endpoint, whatever AWS_ENDPOINT_URL says).</summary>
    public static StackTarget ForStandIn(StandInDescription standIn)
    {
        ArgumentNullException.ThrowIfNull(standIn);
        return new StackTarget(LocalStack.Name, LocalStack.Config(standIn), LocalStandIn.S3(standIn.AwsEndpoint, standIn.Region),
            LocalStandIn.DynamoDb(standIn.AwsEndpoint, standIn.Region));
    }

    // `--stack local` goes through SSM like any stack; without AWS_ENDPOINT_URL that is AWS's SSM, not the stand-in's.
    private static string LocalHint(string stack)
    {
        if (stack != LocalStack.Name || Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 })
        {
            return "";
        }

        var running = StandInStateFile.ReadRunning(StandInStateFile.PathFor(RepositoryRoot.Find()));
        return running is null ? "" : $". The local stand-in runs: point the CLI at it first with export AWS_ENDPOINT_URL={running.AwsEndpoint} (see bakery local status).";
    }

    public void Dispose()
    {
        S3.Dispose();
        DynamoDb.Dispose();
    }
}
