using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Ledger;
using Bakery.Local.StandIn;

namespace Bakery.Integration.Tests.Support;

/// <summary>A fresh bucket and ledger table on moto, with the SDK-backed services the steps use.</summary>
public sealed class BakeryStack : IAsyncDisposable
{
    private BakeryStack(AwsClients clients, BakeryConfiguration configuration, DynamoDbBuildLedger ledger)
    {
        Clients = clients;
        Configuration = configuration;
        Ledger = ledger;
        Services = new SdkAwsServices(clients);
    }

    public AwsClients Clients { get; }
    public BakeryConfiguration Configuration { get; }
    public DynamoDbBuildLedger Ledger { get; }
    public SdkAwsServices Services { get; }
    public string Bucket => Configuration.Bucket;

    public static async Task<BakeryStack> CreateAsync(TimeProvider clock)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var configuration = new BakeryConfiguration { Bucket = $"bakery-{suffix}", LedgerTable = $"ledger-{suffix}", InstanceProfile = "builder" };
        var clients = new AwsClients();
        await clients.S3.PutBucketAsync(new PutBucketRequest { BucketName = configuration.Bucket });
        await LedgerTableSchema.EnsureTableAsync(clients.DynamoDb, configuration.LedgerTable, CancellationToken.None);
        var ledger = new DynamoDbBuildLedger(clients.DynamoDb, configuration.LedgerTable, clock, AwsRetry.Immediate());
        return new BakeryStack(clients, configuration, ledger);
    }

    public Task PutAsync(string key, string content) =>
        Clients.S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, ContentBody = content });

    public async Task<IReadOnlyList<string>> KeysAsync(string prefix) =>
        await Services.Objects.ListKeysAsync(Bucket, prefix, CancellationToken.None);

    public async Task<string?> TextAsync(string key)
    {
        var stored = await Services.Objects.GetAsync(Bucket, key, CancellationToken.None);
        return stored is null ? null : System.Text.Encoding.UTF8.GetString(stored.Content.Span);
    }

    public ValueTask DisposeAsync()
    {
        Clients.Dispose();
        return ValueTask.CompletedTask;
    }
}
