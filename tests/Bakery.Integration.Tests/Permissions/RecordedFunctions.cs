using System.Text;
using System.Text.Json;
using Amazon.S3.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Janitor;
using Bakery.Core.Ledger;
using Bakery.Core.Serialization;
using Bakery.Functions.Handlers;
using Bakery.Core.Logging;
using Microsoft.Extensions.Logging;
using Bakery.Functions.Runtime;
using Bakery.Local.StandIn;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// The bootstrap's own handler table run in-process against moto, one handler per step as each Lambda function
/// serves it (ledger progress included), with every AWS call each step makes recorded under the step's name.
/// A bucket, ledger table and instance profile of its own stand for the stack.
/// </summary>
internal sealed class RecordedFunctions : IAsyncDisposable
{
    public const string Region = "us-east-1";
    public const string ParameterPrefix = "/bakery-ami/";

    private readonly HandlerTable table;
    private readonly Dictionary<string, LambdaHandler> handlers = new(StringComparer.Ordinal);
    private readonly List<AwsCall> calls = [];
    private readonly StringWriter log = new();
    private readonly JsonLinesLoggerProvider logging;

    private RecordedFunctions(BakeryConfiguration configuration, AwsClients setup)
    {
        Configuration = configuration;
        Setup = setup;
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BakeryConfiguration.BucketVariable] = configuration.Bucket,
            [BakeryConfiguration.LedgerTableVariable] = configuration.LedgerTable,
            [BakeryConfiguration.InstanceProfileVariable] = configuration.InstanceProfile,
            // template.yaml's ParameterPrefix default.
            [BakeryConfiguration.ParameterPrefixVariable] = ParameterPrefix,
            ["AWS_REGION"] = Region,
        };
        logging = new JsonLinesLoggerProvider(log, LogLevel.Information, TimeProvider.System);
        table = BakeryHandlers.Create(logging, name => variables.GetValueOrDefault(name));
    }

    public BakeryConfiguration Configuration { get; }

    /// <summary>Clients for arranging and checking (their calls are not recorded).</summary>
    public AwsClients Setup { get; }

    public IReadOnlyList<AwsCall> Calls => calls;

    /// <summary>What the functions logged (a ledger write refused would show here as a warning).</summary>
    public string Log => log.ToString();

    public static async Task<RecordedFunctions> CreateAsync(Uri motoEndpoint)
    {
        AwsCallRecorder.Install();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var configuration = new BakeryConfiguration
        {
            Bucket = $"bakery-perm-{suffix}",
            LedgerTable = $"ledger-{suffix}",
            InstanceProfile = $"builder-{suffix}",
        };
        var setup = new AwsClients();
        await setup.S3.PutBucketAsync(new PutBucketRequest { BucketName = configuration.Bucket });
        await LedgerTableSchema.EnsureTableAsync(setup.DynamoDb, configuration.LedgerTable, CancellationToken.None);
        await StandInIam.CreateInstanceProfileAsync(motoEndpoint, configuration.InstanceProfile);
        return new RecordedFunctions(configuration, setup);
    }

    public Task PutAsync(string key, string content) =>
        Setup.S3.PutObjectAsync(new PutObjectRequest { BucketName = Configuration.Bucket, Key = key, ContentBody = content });

    /// <summary>Prepare with an EventBridge "Object Created" event for <paramref name="key"/>.</summary>
    public async Task<BakeState> PrepareUploadAsync(string key)
    {
        var trigger = JsonSerializer.Serialize(new
        {
            version = "0",
            source = "aws.s3",
            region = Region,
            time = DateTimeOffset.UtcNow,
            detail_type = "Object Created",
            detail = new
            {
                bucket = new { name = Configuration.Bucket },
                @object = new { key, size = 1, sequencer = Guid.NewGuid().ToString("N")[..18].ToUpperInvariant() },
            },
        }).Replace("detail_type", "detail-type", StringComparison.Ordinal);
        return await PrepareAsync(trigger);
    }

    public async Task<BakeState> PrepareAsync(string trigger) =>
        Deserialize(await InvokeAsync("Prepare", Encoding.UTF8.GetBytes(trigger)));

    /// <summary>One call of <paramref name="step"/>, as the state machine makes it.</summary>
    public async Task<BakeState> RunOnceAsync(string step, BakeState state) =>
        Deserialize(await InvokeAsync(step, JsonSerializer.SerializeToUtf8Bytes(state, BakeryJsonContext.Default.BakeState)));

    /// <summary>Calls <paramref name="step"/> again while it answers with a wait hint, as the Wait-state loop does.</summary>
    public async Task<BakeState> RunAsync(string step, BakeState state)
    {
        for (var call = 0; call < 30; call++)
        {
            state = await RunOnceAsync(step, state);
            if (state.Wait is not { Done: false })
            {
                return state;
            }
        }

        throw new InvalidOperationException($"{step} kept waiting");
    }

    public async Task<BakeState> RunAsync(BakeState state, params string[] steps)
    {
        foreach (var step in steps)
        {
            state = await RunAsync(step, state);
        }

        return state;
    }

    public async Task<JanitorReport> JanitorAsync(JanitorRequest request)
    {
        var output = await InvokeAsync("Janitor", JsonSerializer.SerializeToUtf8Bytes(request, BakeryJsonContext.Default.JanitorRequest));
        return JsonSerializer.Deserialize(output.Span, BakeryJsonContext.Default.JanitorReport)!;
    }

    public ValueTask DisposeAsync()
    {
        Setup.Dispose();
        logging.Dispose();
        log.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<ReadOnlyMemory<byte>> InvokeAsync(string step, ReadOnlyMemory<byte> input)
    {
        if (!handlers.TryGetValue(step, out var handler))
        {
            handlers[step] = handler = table.Resolve(step);
        }

        using var scope = AwsCallRecorder.Begin(step);
        try
        {
            var context = new LambdaContext { RequestId = Guid.NewGuid().ToString(), Logger = logging.CreateLogger("RecordedFunctions") };
            return await handler(input, context, CancellationToken.None);
        }
        finally
        {
            calls.AddRange(scope.Calls);
        }
    }

    private static BakeState Deserialize(ReadOnlyMemory<byte> output) =>
        JsonSerializer.Deserialize(output.Span, BakeryJsonContext.Default.BakeState)!;
}
