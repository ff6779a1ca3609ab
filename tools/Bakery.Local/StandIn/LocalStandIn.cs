using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.EC2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Core.Ledger;
using Bakery.Local.Aws;
using Bakery.Local.Instances;
using Bakery.Local.Lambda;
using Bakery.Local.StandIn.Internal;
using Bakery.Local.StepFunctions;

namespace Bakery.Local.StandIn;

/// <summary>
/// The whole local stand-in for a deployed Bakery stack: an AWS API endpoint (moto started here, or one the user runs),
/// the stack's bucket, ledger table and builder instance profile created there, the local Lambda service running every
/// function of template.yaml in the published bootstrap, and a <see cref="StateMachineRunner"/> for the definition
/// (its runner process lives until the stand-in is disposed, attached or not).
/// </summary>
public sealed class LocalStandIn : IAsyncDisposable
{
    private readonly LocalStandInOptions _options;
    private readonly LocalLambdaService? _lambda;
    private readonly int _motoPort;
    private readonly StandInDescription? _attached;
    private readonly Ec2ThrottlingProxy? _throttling;
    private readonly LocalInstances? _instances;

    private LocalStandIn(LocalStandInOptions options, Uri awsEndpoint, int motoPort, LocalLambdaService? lambda, StandInDescription? attached = null,
        Ec2ThrottlingProxy? throttling = null, LocalInstances? instances = null)
    {
        _options = options;
        _throttling = throttling;
        _instances = instances;
        _motoPort = motoPort;
        _lambda = lambda;
        _attached = attached;
        AwsEndpoint = awsEndpoint;
        LambdaEndpoint = lambda?.Endpoint ?? new Uri(attached!.LambdaEndpoint);
        Runner = new StateMachineRunner(new StateMachineRunnerOptions
        {
            RepositoryRoot = options.RepositoryRoot,
            LambdaEndpoint = LambdaEndpoint,
            Region = options.Region,
            FunctionArn = logicalId => $"arn:aws:lambda:{options.Region}:123456789012:function:{logicalId}",
            WaitOverride = options.WaitOverride,
        });
    }

    public Uri AwsEndpoint { get; }

    public Uri LambdaEndpoint { get; }

    public StateMachineRunner Runner { get; }

    /// <summary>The local instances the functions' EC2 and SSM calls reach; null when scripts do not run here.</summary>
    public LocalInstances? Instances => _instances;

    /// <summary>True for a stand-in another process serves (<see cref="Attach"/>): disposing leaves it running.</summary>
    public bool IsAttached => _attached is not null;

    public StandInDescription Description => _attached ?? Describe(_options, AwsEndpoint, LambdaEndpoint, _motoPort, _lambda!.LogDirectory);

    /// <summary>
    /// Uses a stand-in another process serves (<c>bakery local up</c>, described by its state file) instead of starting
    /// one: executions run here against its Lambda service and AWS endpoint. Disposing it stops nothing.
    /// </summary>
    public static LocalStandIn Attach(string repositoryRoot, StandInDescription running)
    {
        ArgumentNullException.ThrowIfNull(running);
        var options = new LocalStandInOptions { RepositoryRoot = repositoryRoot, Region = running.Region, ResourcePrefix = running.Bucket };
        return new LocalStandIn(options, new Uri(running.AwsEndpoint), 0, null, running);
    }

    /// <summary>The environment that points AWS SDKs and the AWS CLI at <see cref="AwsEndpoint"/>.</summary>
    public static IReadOnlyDictionary<string, string> AwsEnvironment(string awsEndpoint, string region)
    {
        var environment = new Dictionary<string, string>(BaseAwsEnvironment(awsEndpoint, region));
        // Per-service endpoints (AWS_ENDPOINT_URL_SSM, ...) are the SDK's standard settings too: the functions follow
        // them as the CLI does.
        foreach (var entry in System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>())
        {
            if (entry.Key is string name && name.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal) && entry.Value is string { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        return environment;
    }

    private static Dictionary<string, string> BaseAwsEnvironment(string awsEndpoint, string region) => new()
    {
        ["AWS_ENDPOINT_URL"] = awsEndpoint,
        ["AWS_ACCESS_KEY_ID"] = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "testing",
        ["AWS_SECRET_ACCESS_KEY"] = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "testing",
        ["AWS_REGION"] = region,
        ["AWS_DEFAULT_REGION"] = region,

        // A standard SDK setting: plain (not aws-chunked) S3 bodies, which moto 5.1 (Debian's) needs; harmless elsewhere.
        ["AWS_REQUEST_CHECKSUM_CALCULATION"] = Environment.GetEnvironmentVariable("AWS_REQUEST_CHECKSUM_CALCULATION") ?? "when_required",
    };

    public static async Task<LocalStandIn> StartAsync(LocalStandInOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var setup = new LocalSetup(options.RepositoryRoot, options.Progress);
        await setup.EnsureAllAsync(cancellationToken).ConfigureAwait(false);

        var motoPort = 0;
        var endpoint = options.AwsEndpoint;
        if (endpoint is null)
        {
            await setup.EnsureMotoAsync(cancellationToken).ConfigureAwait(false);
            motoPort = options.MotoPort == 0 ? LoopbackPorts.Free() : options.MotoPort;
            var arguments = new List<string> { setup.MotoScript, "start", motoPort.ToString(CultureInfo.InvariantCulture) };
            if (options.MotoOwnerProcessId is { } owner)
            {
                arguments.AddRange(["--owner", owner.ToString(CultureInfo.InvariantCulture)]);
            }

            var started = await ScriptRunner.RunAsync("bash", arguments, options.RepositoryRoot, cancellationToken).ConfigureAwait(false);
            endpoint = new Uri(started.Trim());
        }

        Ec2ThrottlingProxy? throttling = null;
        LocalInstances? instances = null;
        try
        {
            var description = Describe(options, endpoint, endpoint, motoPort, null);
            await CreateResourcesAsync(description, cancellationToken).ConfigureAwait(false);
            var functionsEndpoint = description.AwsEndpoint;
            var throttle = Ec2ThrottlePlan.FromSetting(System.Environment.GetEnvironmentVariable(Ec2ThrottlePlan.EnvironmentVariable));
            instances = options.RunInstances ? await StartInstancesAsync(options, setup, description, cancellationToken).ConfigureAwait(false) : null;
            // The functions always go through the stand-in's proxy: it answers as AWS does where moto does not
            // (MotoGaps), throttles when asked, and lets the local instances run what the functions ask of EC2 and SSM.
            // The CLI's own uploads and queries talk to moto directly.
            throttling = await Ec2ThrottlingProxy.StartAsync(endpoint, throttle,
                interceptor: instances is null ? null : new LocalInstancesInterceptor(instances, options.Region)).ConfigureAwait(false);
            functionsEndpoint = throttling.Endpoint.GetLeftPart(UriPartial.Authority);
            var noCapacity = System.Environment.GetEnvironmentVariable(Ec2CapacityPlan.EnvironmentVariable);
            throttling.SetCapacity(Ec2CapacityPlan.FromSetting(noCapacity));
            if (!string.IsNullOrWhiteSpace(noCapacity))
            {
                options.Progress?.Invoke($"No EC2 capacity for {noCapacity} (InsufficientInstanceCapacity, {Ec2CapacityPlan.EnvironmentVariable}; for tests)");
            }

            if (throttle.IsActive)
            {
                options.Progress?.Invoke($"Throttling {throttle} (RequestLimitExceeded) between the functions and {endpoint.GetLeftPart(UriPartial.Authority)}");
            }

            var lambda = await LocalLambdaService.StartAsync(new LocalLambdaOptions
            {
                TemplatePath = Path.Combine(options.RepositoryRoot, "template.yaml"),
                BootstrapPath = setup.BootstrapPath,
                Environment = AwsEnvironment(functionsEndpoint, options.Region),
                ParameterValues = new Dictionary<string, string>
                {
                    ["TemplatesBucket"] = description.Bucket,
                    ["LedgerTable"] = description.LedgerTable,
                    ["BuilderInstanceProfile"] = description.InstanceProfile,
                },
                LogDirectory = options.LogDirectory,
                Region = options.Region,
                Port = options.LambdaPort,
                Faults = LocalFaultPlan.FromSetting(System.Environment.GetEnvironmentVariable(LocalFaultPlan.EnvironmentVariable)),
            }).ConfigureAwait(false);
            return new LocalStandIn(options, endpoint, motoPort, lambda, throttling: throttling, instances: instances);
        }
        catch
        {
            if (instances is not null)
            {
                await instances.DisposeAsync().ConfigureAwait(false);
            }

            if (throttling is not null)
            {
                await throttling.DisposeAsync().ConfigureAwait(false);
            }

            await StopMotoAsync(options, motoPort).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The local instances, when this machine can run them (said in one line either way): a build's output always says
    /// whether its scripts really ran.
    /// </summary>
    private static async Task<LocalInstances?> StartInstancesAsync(LocalStandInOptions options, LocalSetup setup, StandInDescription stack, CancellationToken cancellationToken)
    {
        var baseImage = BaseImage.Default();
        if (!baseImage.IsInstalled && Environment.IsPrivilegedProcess && OperatingSystem.IsLinux())
        {
            await setup.EnsureBaseImageAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await InstanceSupport.WhyNotAsync(baseImage, cancellationToken).ConfigureAwait(false) is { } why)
        {
            options.Progress?.Invoke($"Scripts will NOT run: {why}; SSM commands answer Success without running anything (moto's behaviour)");
            return null;
        }

        var paths = LocalInstancePaths.Default();
        var output = options.InstancesOutput ?? new LocalInstancesOutput { OnSay = (target, text) => options.Progress?.Invoke(target is null ? text : $"{target}: {text}") };
        options.Progress?.Invoke($"Scripts run for real: each instance is a local {baseImage.Description} root filesystem (overlayfs, own namespaces; images in {paths.Root})");
        return new LocalInstances(paths, new LocalImageStore(paths, baseImage), output)
        {
            PutObject = async (bucket, key, text, token) =>
            {
                using var s3 = S3(stack.AwsEndpoint, stack.Region);
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = text }, token).ConfigureAwait(false);
            },
        };
    }

    /// <summary>An S3 client for the stand-in's AWS endpoint.</summary>
    public static AmazonS3Client S3(string awsEndpoint, string region) =>
        new(Credentials(), new AmazonS3Config
        {
            ServiceURL = awsEndpoint,
            ForcePathStyle = true,
            AuthenticationRegion = region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        });

    /// <summary>An EC2 client for the stand-in's AWS endpoint.</summary>
    public static AmazonEC2Client Ec2(string awsEndpoint, string region) =>
        new(Credentials(), new AmazonEC2Config { ServiceURL = awsEndpoint, AuthenticationRegion = region });

    /// <summary>
    /// Waits until no function invocation is running (false: still busy after <paramref name="timeout"/>). Attached to a
    /// stand-in `bakery local up` runs, the invocations live in that process and cannot be watched from here.
    /// </summary>
    public Task<bool> WaitForLambdaIdleAsync(TimeSpan timeout) => _lambda is null ? Task.FromResult(false) : _lambda.WaitForIdleAsync(timeout);

    /// <summary>A DynamoDB client for the stand-in's AWS endpoint.</summary>
    public static AmazonDynamoDBClient DynamoDb(string awsEndpoint, string region) =>
        new(Credentials(), new AmazonDynamoDBConfig { ServiceURL = awsEndpoint, AuthenticationRegion = region });

    public async ValueTask DisposeAsync()
    {
        await Runner.DisposeAsync().ConfigureAwait(false);
        if (_lambda is null)
        {
            return;
        }

        await _lambda.DisposeAsync().ConfigureAwait(false);
        if (_instances is not null)
        {
            await _instances.DisposeAsync().ConfigureAwait(false);
        }

        if (_throttling is not null)
        {
            if (_throttling.Plan.IsActive)
            {
                _options.Progress?.Invoke(_throttling.Summary());
            }

            await _throttling.DisposeAsync().ConfigureAwait(false);
        }

        await StopMotoAsync(_options, _motoPort).ConfigureAwait(false);
    }

    internal static async Task StopMotoAsync(LocalStandInOptions options, int motoPort)
    {
        if (motoPort == 0)
        {
            return;
        }

        await ScriptRunner.RunAsync("bash", [new LocalSetup(options.RepositoryRoot).MotoScript, "stop", motoPort.ToString(CultureInfo.InvariantCulture)],
            options.RepositoryRoot, CancellationToken.None).ConfigureAwait(false);
    }

    private static StandInDescription Describe(LocalStandInOptions options, Uri aws, Uri lambda, int motoPort, string? logDirectory) => new()
    {
        AwsEndpoint = aws.GetLeftPart(UriPartial.Authority),
        LambdaEndpoint = lambda.GetLeftPart(UriPartial.Authority),
        Bucket = options.ResourcePrefix,
        LedgerTable = options.ResourcePrefix + "-ledger",
        InstanceProfile = options.ResourcePrefix + "-builder",
        Region = options.Region,
        ProcessId = Environment.ProcessId,
        MotoPort = motoPort,
        LogDirectory = logDirectory,
    };

    // What the stack's template creates and the steps need: the bucket (versioned, like the real one), the ledger
    // table (the same schema), and the builder's instance profile. Existing ones are kept.
    private static async Task CreateResourcesAsync(StandInDescription stack, CancellationToken cancellationToken)
    {
        using (var s3 = S3(stack.AwsEndpoint, stack.Region))
        {
            try
            {
                await s3.PutBucketAsync(new PutBucketRequest { BucketName = stack.Bucket }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception error) when (error.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
            {
            }

            await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest
            {
                BucketName = stack.Bucket,
                VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled },
            }, cancellationToken).ConfigureAwait(false);
        }

        using (var dynamoDb = DynamoDb(stack.AwsEndpoint, stack.Region))
        {
            await LedgerTableSchema.EnsureTableAsync(dynamoDb, stack.LedgerTable, cancellationToken).ConfigureAwait(false);
        }

        await StandInIam.CreateInstanceProfileAsync(new Uri(stack.AwsEndpoint), stack.InstanceProfile, cancellationToken).ConfigureAwait(false);
    }

    private static BasicAWSCredentials Credentials() => new(
        Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "testing",
        Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "testing");
}
