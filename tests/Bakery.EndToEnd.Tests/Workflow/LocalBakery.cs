using System.Text.Json.Nodes;
using Bakery.Local.StandIn;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.EC2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Core.Ledger;
using Bakery.Local.Aws;
using Bakery.Local.Lambda;
using Bakery.Local.StepFunctions;
using Bakery.Testing;
using Bakery.Testing.Moto;

namespace Bakery.EndToEnd.Tests.Workflow;

/// <summary>
/// The whole local stand-in, once per test class: moto (AWS APIs, through <see cref="MotoFixture"/>), the local Lambda
/// service running the published Native AOT bootstrap for every function of template.yaml, and the real definition
/// under aws-local-stepfunctions. Shared by the whole <see cref="LocalBakeryCollection"/> (it resets moto once, at start).
/// </summary>
public sealed class LocalBakery : IAsyncLifetime
{
    public const string Region = "us-east-1";
    public const string Bucket = "bakery-templates";
    public const string LedgerTable = "bakery-ledger";
    public const string InstanceProfile = "bakery-builder";

    /// <summary>Bootstrap processes per function (the local Lambda service's default, named so tests can outnumber it).</summary>
    public const int EnvironmentsPerFunction = 4;

    /// <summary>The event S3 sends through EventBridge for this bucket's object: what the upload rule hands the workflow.</summary>
    public static JsonObject ObjectCreated(string key, string? versionId) => JsonNode.Parse(ObjectCreatedEvents.Create(
        Bucket, key, size: 0, etag: null, versionId, sequencer: "00617F08299329D189", Region,
        new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero)))!.AsObject();

    private readonly MotoFixture moto = new();
    private LocalLambdaService? lambda;
    private Ec2ThrottlingProxy? awsProxy;

    /// <summary>Runs the real definition, each execution in a later second than the last Prepare (see <see cref="SecondApartRunner"/>).</summary>
    public SecondApartRunner Runner { get; private set; } = null!;

    /// <summary>The local Lambda service (fault plan, attempts, function log files).</summary>
    public LocalLambdaService Lambda => lambda ?? throw new InvalidOperationException("LocalBakery is not initialized yet.");

    /// <summary>What the functions' AWS calls go through on their way to moto: passes everything unless a test sets a plan.</summary>
    public Ec2ThrottlingProxy AwsProxy => awsProxy ?? throw new InvalidOperationException("LocalBakery is not initialized yet.");

    /// <summary>Fails the commands of a provisioner that asks for it (<see cref="FailingCommands.Marker"/>), as moto cannot.</summary>
    public FailingCommands Commands { get; } = new();

    public AmazonS3Client S3 { get; private set; } = null!;
    public AmazonEC2Client Ec2 { get; private set; } = null!;
    public AmazonDynamoDBClient DynamoDb { get; private set; } = null!;

    /// <summary>The variables that point an SDK (or a function of a second local Lambda service) at moto.</summary>
    public IReadOnlyDictionary<string, string> AwsEnvironment => moto.EnvironmentVariables;

    public async Task InitializeAsync()
    {
        await moto.InitializeAsync();
        await moto.ResetAsync();
        S3 = StandInClients.S3();
        Ec2 = StandInClients.Ec2();
        DynamoDb = StandInClients.DynamoDb();
        await S3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket });
        // Versioned like the stack's bucket, so S3 events carry a version id as they do on AWS.
        await S3.PutBucketVersioningAsync(new PutBucketVersioningRequest
        {
            BucketName = Bucket,
            VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
        });
        await LedgerTableSchema.EnsureTableAsync(DynamoDb, LedgerTable, CancellationToken.None);
        await StandInIam.CreateInstanceProfileAsync(moto.Endpoint, InstanceProfile);

        awsProxy = await Ec2ThrottlingProxy.StartAsync(moto.Endpoint, Ec2ThrottlePlan.None, interceptor: Commands);
        var functionEnvironment = new Dictionary<string, string>(moto.EnvironmentVariables)
        {
            ["AWS_ENDPOINT_URL"] = awsProxy.Endpoint.GetLeftPart(UriPartial.Authority),
        };
        lambda = await LocalLambdaService.StartAsync(new LocalLambdaOptions
        {
            TemplatePath = RepositoryPaths.Combine("template.yaml"),
            BootstrapPath = await PublishedBootstrap.GetPathAsync(),
            Region = Region,
            Environment = functionEnvironment,
            ParameterValues = new Dictionary<string, string>
            {
                ["TemplatesBucket"] = Bucket,
                ["LedgerTable"] = LedgerTable,
                ["BuilderInstanceProfile"] = InstanceProfile,
                ["FunctionLogGroup"] = "/bakery/local/functions",
            },
            LogDirectory = Path.Combine(Path.GetTempPath(), $"bakery-e2e-lambda-{Guid.NewGuid():N}"),
            MaxEnvironmentsPerFunction = EnvironmentsPerFunction,
        });

        Runner = new SecondApartRunner(
            new StateMachineRunner(new StateMachineRunnerOptions
            {
                RepositoryRoot = RepositoryPaths.Root,
                LambdaEndpoint = lambda.Endpoint,
                Region = Region,
                WaitOverride = TimeSpan.FromMilliseconds(5),
                RetryOverride = TimeSpan.FromMilliseconds(50),
            }),
            TimeProvider.System);
    }

    public async Task DisposeAsync()
    {
        if (Runner is not null)
        {
            await Runner.Ungated.DisposeAsync();
        }

        if (lambda is not null)
        {
            await lambda.StopAsync();
        }

        if (awsProxy is not null)
        {
            await awsProxy.DisposeAsync();
        }

        S3?.Dispose();
        Ec2?.Dispose();
        DynamoDb?.Dispose();
        await moto.DisposeAsync();
    }

    /// <summary>Uploads a folder (a build file and what it references) under <paramref name="prefix"/>: key → version id.</summary>
    public async Task<IReadOnlyDictionary<string, string>> UploadAsync(string folder, string prefix)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            var key = prefix + Path.GetFileName(file);
            var response = await S3.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = key, FilePath = file });
            versions[key] = response.VersionId;
        }

        return versions;
    }

    /// <summary>Invokes one function of the template directly (as a schedule would); its error document throws.</summary>
    public async Task<string> InvokeAsync(string function, string payload)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(
            new Uri(Lambda.Endpoint, $"/2015-03-31/functions/{function}/invocations"), new StringContent(payload));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || response.Headers.Contains("X-Amz-Function-Error"))
        {
            throw new InvalidOperationException($"{function} failed: {(int)response.StatusCode} {body}");
        }

        return body;
    }

    public async Task<IReadOnlyList<Instance>> ManagedInstancesAsync()
    {
        var response = await Ec2.DescribeInstancesAsync(new DescribeInstancesRequest { Filters = [new Amazon.EC2.Model.Filter("tag:bakery:managed", ["true"])] });
        return [.. (response.Reservations ?? []).SelectMany(r => r.Instances ?? [])];
    }

    public async Task<IReadOnlyList<SecurityGroup>> ManagedSecurityGroupsAsync()
    {
        var response = await Ec2.DescribeSecurityGroupsAsync(new DescribeSecurityGroupsRequest { Filters = [new Amazon.EC2.Model.Filter("tag:bakery:managed", ["true"])] });
        return response.SecurityGroups ?? [];
    }

    public async Task<IReadOnlyList<string>> KeysAsync(string prefix)
    {
        var response = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket, Prefix = prefix });
        return [.. (response.S3Objects ?? []).Select(o => o.Key)];
    }
}
