using System.Text;
using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Bundles;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Serialization;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Triggers;

namespace Bakery.Core.Steps;

/// <summary>
/// The first step: turns the execution's input (any of the three trigger shapes) into one bake state per builder.
/// Claims the build in the ledger (a duplicate trigger ends here with <c>skip: duplicate</c>), reads the build file
/// and its bundle from S3, renders and validates it, describes the source AMI (known here, EBS-backed), checks the AMI name is free, and
/// stages the scripts and files the instance will need under <c>staging/{buildId}/files/</c>.
/// </summary>
public sealed class PrepareStep
{
    public const string StepName = "Prepare";

    /// <summary>Where a rendered plan with its real (unmasked) values is kept for the Provision step: <c>{StagingPrefix}rendered/{builder}.json</c>.</summary>
    public const string RenderedFolder = "rendered/";

    private readonly IAwsServices aws;
    private readonly IBuildLedger ledger;
    private readonly BakeryConfiguration configuration;
    private readonly TimeProvider timeProvider;
    private readonly AwsRetry retry;
    private readonly PrepareOptions options;
    private readonly Func<TimeSpan, CancellationToken, Task> delay;
    private readonly Func<Guid> newGuid;
    private readonly SourceImageCheck sourceImages;

    public PrepareStep(
        IAwsServices aws,
        IBuildLedger ledger,
        BakeryConfiguration configuration,
        TimeProvider timeProvider,
        AwsRetry retry,
        PrepareOptions? options = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        Func<Guid>? newGuid = null)
    {
        ArgumentNullException.ThrowIfNull(aws);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(retry);
        this.aws = aws;
        this.ledger = ledger;
        this.configuration = configuration;
        this.timeProvider = timeProvider;
        this.retry = retry;
        this.options = options ?? new PrepareOptions();
        this.delay = delay ?? ((wait, token) => Task.Delay(wait, timeProvider, token));
        this.newGuid = newGuid ?? Guid.NewGuid;
        sourceImages = new SourceImageCheck(aws, retry);
    }

    public string Name => StepName;

    /// <summary>Runs on the execution's raw input (see <see cref="TriggerNormalizer"/> for the accepted shapes).</summary>
    public Task<BakeState> RunAsync(JsonElement trigger, CancellationToken cancellationToken) =>
        RunAsync(TriggerNormalizer.Normalize(trigger), executionId: null, cancellationToken);

    /// <param name="trigger">The execution's raw input.</param>
    /// <param name="executionId">The Step Functions execution running this Prepare (<c>$$.Execution.Id</c>), or null.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    public Task<BakeState> RunAsync(JsonElement trigger, string? executionId, CancellationToken cancellationToken) =>
        RunAsync(TriggerNormalizer.Normalize(trigger), executionId, cancellationToken);

    public Task<BakeState> RunAsync(BuildRequest request, CancellationToken cancellationToken) =>
        RunAsync(request, executionId: null, cancellationToken);

    /// <summary>
    /// With an <paramref name="executionId"/>, Prepare is safe to retry within its execution: the claim is made with it
    /// as token, so the same execution claims its build again (instead of taking itself for a duplicate), and a console
    /// start without <c>buildId</c> gets an id derived from the execution rather than a fresh one per attempt.
    /// </summary>
    public async Task<BakeState> RunAsync(BuildRequest request, string? executionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetUtcNow();
        var identity = BuildIds.Identify(request, executionId is { Length: > 0 } ? () => GuidOf(executionId) : newGuid);

        StoredObject? buildFile = null;
        if (request.Bucket is not null)
        {
            buildFile = await GetBuildFileAsync(request, cancellationToken).ConfigureAwait(false);
            if (request.Kind == TriggerKind.S3Upload && NotABuildFile(buildFile) is { } reason)
            {
                return new BakeState
                {
                    BuildId = identity.BuildId,
                    Skip = new SkipInfo("not-a-build-file", $"s3://{request.Bucket}/{buildFile.Key} {reason}; nothing to build."),
                };
            }
        }

        var claimDeadline = (started + options.DefaultBuildTimeout).ToUnixTimeSeconds();
        var claimed = await ledger.TryClaimAsync(
            new BuildClaim
            {
                BuildId = identity.BuildId,
                Identity = identity.Identity,
                Source = request.SourceDescription,
                Trigger = request.Kind.ToString(),
                DeadlineEpochSeconds = claimDeadline,
                ClaimToken = executionId is { Length: > 0 } ? executionId : null,
            },
            cancellationToken).ConfigureAwait(false);
        if (!claimed)
        {
            return new BakeState
            {
                BuildId = identity.BuildId,
                Skip = new SkipInfo("duplicate", $"Build {identity.BuildId} was already started by this trigger ({identity.Identity})."),
            };
        }

        try
        {
            var state = await PrepareClaimedAsync(request, identity.BuildId, buildFile, started, cancellationToken).ConfigureAwait(false);
            if (state.DeadlineEpochSeconds > claimDeadline)
            {
                await ledger.SetDeadlineAsync(identity.BuildId, state.DeadlineEpochSeconds, cancellationToken).ConfigureAwait(false);
            }

            return state;
        }
        catch (BakeryException error)
        {
            // Prepare runs before the workflow has a build id to record a failure under, so it records its own.
            await ledger.FailAsync(identity.BuildId, error.GetType().Name, error.Message, CancellationToken.None).ConfigureAwait(false);
            // A refusal found after staging (a later builder's name, the state's size) leaves nothing staged behind.
            await RemoveStagedAsync(request.Bucket ?? configuration.Bucket, StagingPrefixOf(identity.BuildId), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<BakeState> PrepareClaimedAsync(
        BuildRequest request, string buildId, StoredObject? buildFile, DateTimeOffset started, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        BuildSource source;
        if (buildFile is null)
        {
            // An inline build file is kept in the bucket like an uploaded one, so the manifest has a place beside it.
            var content = Encoding.UTF8.GetBytes(request.InlineBuildFile!.Value.GetRawText());
            var key = $"inline/{buildId}/build.json";
            await retry.RunAsync("S3 PutObject (inline build file)", token => objects.PutAsync(configuration.Bucket, key, content, "application/json", token), cancellationToken)
                .ConfigureAwait(false);
            buildFile = new StoredObject(key, content);
            source = new BuildSource { Bucket = configuration.Bucket, Key = key, Prefix = $"inline/{buildId}/" };
        }
        else
        {
            EnsureOwnFolder(request.Bucket!, buildFile.Key);
            source = new BuildSource
            {
                Bucket = request.Bucket!,
                Key = buildFile.Key,
                Prefix = FolderOf(buildFile.Key),
                VersionId = buildFile.VersionId ?? request.VersionId,
                ETag = buildFile.ETag ?? request.ETag,
            };
        }

        var (result, bundle) = await LoadAsync(request, source, buildFile, cancellationToken).ConfigureAwait(false);
        var definition = result.Definition!;
        var settings = await ReadSettingsAsync(request, source, definition, bundle, cancellationToken).ConfigureAwait(false);
        var redactor = result.Redactor;
        var stagingPrefix = StagingPrefixOf(buildId);
        source = source with { Vars = MaskVariables(request.Vars, definition, redactor) };

        // Every check that can refuse the build runs for every builder before anything is staged: a file refused at
        // its second builder must not leave the first builder's staged files (and rendered plan) behind.
        var checkedPlans = new List<(BuildPlan Plan, BuildPlan Resolved, string SourceImageId, string? SourceImageName)>();
        foreach (var plan in definition.Builds)
        {
            var builder = plan.Builder;
            EnsureStackRegion(builder, source);
            TagLimits.Check($"s3://{source.Bucket}/{source.Key}", builder);
            var (sourceImageId, sourceImageName) = await sourceImages.ResolveAsync($"s3://{source.Bucket}/{source.Key}", builder, cancellationToken).ConfigureAwait(false);
            await EnsureAmiNameFreeAsync(builder, redactor, cancellationToken).ConfigureAwait(false);
            EnsureReferencedFilesExist(plan, source, bundle);
            var resolved = plan with { Builder = await ReadUserDataAsync(builder, source, bundle, cancellationToken).ConfigureAwait(false) };
            checkedPlans.Add((plan, resolved, sourceImageId, sourceImageName));
        }

        var staged = new Dictionary<string, string>(StringComparer.Ordinal);
        var builds = new List<BakeState>();
        foreach (var (plan, resolved, sourceImageId, sourceImageName) in checkedPlans)
        {
            var builder = plan.Builder;
            var planStaged = await StageFilesAsync(plan, source, bundle, stagingPrefix, staged, cancellationToken).ConfigureAwait(false);
            if (settings?.TestImage is { } test)
            {
                // The test's scripts travel as the provisioners' do; their inline commands stay in the settings (small, and masked by no one).
                var testStaged = await StageFilesAsync(plan with { Provisioners = test.Provisioners }, source, bundle, stagingPrefix, staged, cancellationToken)
                    .ConfigureAwait(false);
                planStaged.AddRange(testStaged.Where(key => !planStaged.Contains(key, StringComparer.Ordinal)));
            }

            var resolvedPlan = await StageInlineTextAsync(resolved, source.Bucket, stagingPrefix, planStaged, cancellationToken).ConfigureAwait(false);

            var maskedPlan = PlanRedaction.Redact(resolvedPlan, redactor);
            if (maskedPlan != resolvedPlan)
            {
                var renderedKey = RenderedPlanKey(stagingPrefix, builder.Name);
                var rendered = JsonSerializer.SerializeToUtf8Bytes(resolvedPlan, PlanRedaction.PlanTypeInfo);
                await retry.RunAsync("S3 PutObject (rendered plan)", token => objects.PutAsync(source.Bucket, renderedKey, rendered, "application/json", token), cancellationToken)
                    .ConfigureAwait(false);
                planStaged.Add(renderedKey);
            }

            builds.Add(new BakeState
            {
                BuildId = buildId,
                Source = source,
                StagingPrefix = stagingPrefix,
                Build = maskedPlan,
                Settings = settings,
                SourceImageId = sourceImageId,
                SourceImageName = sourceImageName,
                Created = new CreatedResources { StagedKeys = planStaged },
                DeadlineEpochSeconds = BuildDeadlines.For(resolvedPlan, started, options.DefaultBuildTimeout),
            });
        }

        var ended = timeProvider.GetUtcNow();
        var timing = new StepTiming(StepName, started, ended);
        // Builds of one file share the staging prefix and any file two of them use; each build's Teardown removes
        // only what no sibling (maybe still provisioning) needs. The workflow's TeardownBuild, after every build
        // finished, removes the rest: the whole list is this state's Created.StagedKeys.
        var allStaged = builds.SelectMany(build => build.Created.StagedKeys).Distinct(StringComparer.Ordinal).ToList();
        var users = builds.SelectMany(build => build.Created.StagedKeys).GroupBy(key => key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        builds = [.. builds.Select(build => build with
        {
            Timings = [timing],
            Created = build.Created with { StagedKeys = [.. build.Created.StagedKeys.Where(key => users[key] == 1)] },
        })];
        var prepared = new BakeState
        {
            BuildId = buildId,
            Source = source,
            StagingPrefix = stagingPrefix,
            Builds = builds,
            Created = new CreatedResources { StagedKeys = allStaged },
            Timings = [timing],
            DeadlineEpochSeconds = builds.Max(b => b.DeadlineEpochSeconds),
        };
        StateBudget.EnsureFits(prepared, $"s3://{source.Bucket}/{source.Key}");
        return prepared;
    }

    private static string StagingPrefixOf(string buildId) => Staging.BuildPrefix(buildId);

    /// <summary>
    /// Bakery's own settings: the sidecar <c>NAME.bakery.json</c> beside the build file, then the console input's
    /// <c>"bakery"</c> over it; refused like a build file (every problem with its file and place) before anything is
    /// staged. Null when nothing is set.
    /// </summary>
    private async Task<BakerySettings?> ReadSettingsAsync(
        BuildRequest request, BuildSource source, BuildDefinition definition, S3BundleFiles bundle, CancellationToken cancellationToken)
    {
        // test_image's scripts are looked up beside the build file, in its bundle, as its provisioners' scripts are.
        var files = new SettingsFiles(bundle, source.Key);
        var settings = BakerySettings.None;
        var sidecarKey = BakerySettingsLoader.SidecarPathOf(source.Key);
        var described = $"s3://{source.Bucket}/{sidecarKey}";
        var objects = aws.Objects;
        var sidecar = await retry.RunAsync("S3 GetObject (settings)", token => objects.GetAsync(source.Bucket, sidecarKey, token), cancellationToken)
            .ConfigureAwait(false);
        if (sidecar is not null)
        {
            settings = Checked(BakerySettingsLoader.Load(described, sidecar.Content, files), described);
        }

        if (request.Settings is { } input)
        {
            described = "the input's \"bakery\"";
            settings = Checked(BakerySettingsLoader.Load(described, JsonSerializer.SerializeToUtf8Bytes(input, BakeryJsonContext.Default.JsonElement), files), described)
                .Over(settings);
        }

        if (settings.PublishParameter is { } publish)
        {
            foreach (var builder in definition.Builds.Select(plan => plan.Builder))
            {
                foreach (var region in (IEnumerable<string>)[builder.Region, .. builder.AmiRegions])
                {
                    var name = ParameterNames.Render(publish.Name, builder.Name, region);
                    if (ParameterNames.ProblemWithName(name) is { } problem)
                    {
                        throw new BuildFileInvalid($"{described}: publish_parameter.name for builder '{builder.Name}' in {region}: {problem}; rename the builder or the parameter.");
                    }

                    if (configuration.ParameterPrefix is { } prefix && !name.StartsWith(prefix, StringComparison.Ordinal))
                    {
                        throw new BuildFileInvalid(
                            $"{described}: publish_parameter.name \"{name}\" is outside {prefix}, where this Bakery stack may write parameters " +
                            $"(its ParameterPrefix); name it {prefix}..., or deploy the stack with a ParameterPrefix that covers it.");
                    }
                }
            }
        }

        return settings.IsEmpty ? null : settings;

        static BakerySettings Checked(BakerySettingsResult result, string described) => result.Settings
            ?? throw new BuildFileInvalid($"{described} is not valid Bakery settings:\n  {string.Join("\n  ", result.Errors)}");
    }

    private async Task RemoveStagedAsync(string bucket, string stagingPrefix, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        var keys = await retry.RunAsync("S3 ListObjectsV2 (staged)", token => objects.ListKeysAsync(bucket, stagingPrefix, token), cancellationToken)
            .ConfigureAwait(false);
        if (keys.Count > 0)
        {
            await retry.RunAsync("S3 DeleteObjects (staged)", token => objects.DeleteAsync(bucket, keys, token), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A stable GUID for an execution id (a console start's unique part, the same on every attempt of one execution).</summary>
    private static Guid GuidOf(string executionId) =>
        new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(executionId)).AsSpan(0, 16));

    /// <summary>Where Prepare keeps a plan's unmasked rendering when the build has sensitive variables.</summary>
    public static string RenderedPlanKey(string stagingPrefix, string builderName) =>
        $"{stagingPrefix}{RenderedFolder}{Uri.EscapeDataString(builderName)}.json";

    private async Task<StoredObject> GetBuildFileAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        var stored = await retry.RunAsync("S3 GetObject (build file)", token => objects.GetAsync(request.Bucket!, request.Key!, token), cancellationToken)
            .ConfigureAwait(false);
        if (stored is null && request.Kind == TriggerKind.S3Upload)
        {
            // S3 event notifications URL-encode keys ("a b.json" arrives as "a+b.json"); try the decoded form.
            var decoded = Uri.UnescapeDataString(request.Key!.Replace('+', ' '));
            if (decoded != request.Key)
            {
                stored = await retry.RunAsync("S3 GetObject (build file)", token => objects.GetAsync(request.Bucket!, decoded, token), cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return stored ?? throw new BuildInputInvalid($"s3://{request.Bucket}/{request.Key} does not exist (or is not readable by Bakery).");
    }

    /// <summary>Why an uploaded object is not a build file (a variable file, a data file, a manifest), or null when it is one.</summary>
    internal static string? NotABuildFile(StoredObject stored)
    {
        if (BuildFileLoader.IsHcl2(stored.Key))
        {
            return null;
        }

        if (!stored.Key.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return "is not a .json or .pkr.hcl file";
        }

        if (stored.Key.EndsWith(".vars.json", StringComparison.OrdinalIgnoreCase))
        {
            return "is a variable file";
        }

        if (BakerySettingsLoader.IsSidecar(stored.Key))
        {
            return "is Bakery's settings for the build file beside it";
        }

        try
        {
            using var document = JsonDocument.Parse(stored.Content);
            return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.TryGetProperty("builders", out _)
                ? "has no 'builders'"
                : null;
        }
        catch (JsonException)
        {
            // Not JSON at all: let the engine say where it breaks, as for any broken build file.
            return null;
        }
    }

    private async Task<(BuildFileResult Result, S3BundleFiles Bundle)> LoadAsync(
        BuildRequest request, BuildSource source, StoredObject buildFile, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        var waitUntil = timeProvider.GetUtcNow() + options.MissingFileWait;
        // Bounded by count as well as by the clock, so a clock that does not move cannot make this spin.
        var pollsLeft = (int)Math.Ceiling(options.MissingFileWait / options.MissingFilePoll);
        // The sibling variable file is part of the bundle whatever started the build, so values never need to travel
        // in an execution input (which Step Functions keeps in its history); a console's own vars still win over it.
        // An HCL2 template reads it too (as JSON values), and its NAME.pkrvars.hcl beside it before that.
        var varFileKey = source.Key.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? source.Key[..^".json".Length] + ".vars.json"
            : BuildFileLoader.IsHcl2(source.Key) ? source.Key[..^".pkr.hcl".Length] + ".vars.json"
            : null;
        var pkrVarsKey = BuildFileLoader.IsHcl2(source.Key) ? source.Key[..^".pkr.hcl".Length] + ".pkrvars.hcl" : null;
        // HCL2's file()/templatefile() read bundle files while the template is evaluated, which the engine does
        // synchronously: a load notes the files it wanted, they are downloaded, and the template is loaded again. Each
        // round downloads at least one new file, and a template's reads are finite, so this ends; the cap is for safety.
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var readRoundsLeft = MaxFileReadRounds;
        IReadOnlyList<string>? keys = null;
        while (true)
        {
            keys ??= await retry.RunAsync("S3 ListObjectsV2 (bundle)", token => objects.ListKeysAsync(source.Bucket, source.Prefix, token), cancellationToken)
                .ConfigureAwait(false);
            var bundle = new S3BundleFiles(source.Prefix, keys, texts);
            var varFiles = new List<VarFile>();
            if (pkrVarsKey is not null && keys.Contains(pkrVarsKey, StringComparer.Ordinal))
            {
                var pkrVars = await retry.RunAsync("S3 GetObject (var file)", token => objects.GetAsync(source.Bucket, pkrVarsKey, token), cancellationToken)
                    .ConfigureAwait(false);
                if (pkrVars is not null)
                {
                    varFiles.Add(new VarFile(pkrVarsKey, pkrVars.Content));
                }
            }

            if (varFileKey is not null && keys.Contains(varFileKey, StringComparer.Ordinal))
            {
                var varFile = await retry.RunAsync("S3 GetObject (var file)", token => objects.GetAsync(source.Bucket, varFileKey, token), cancellationToken)
                    .ConfigureAwait(false);
                if (varFile is not null)
                {
                    varFiles.Add(new VarFile(varFileKey, varFile.Content));
                }
            }

            var result = new BuildFileLoader(timeProvider).Load(new BuildFileInput
            {
                Path = source.Key,
                Content = buildFile.Content,
                Vars = [.. request.Vars],
                VarFiles = varFiles,
                Only = request.Only,
                Except = request.Except,
                Files = bundle,
            });
            if (bundle.PendingReads.Count > 0 && readRoundsLeft-- > 0)
            {
                await DownloadTextsAsync(source, bundle, texts, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (result.IsValid && result.Definition!.Builds.Count > 0)
            {
                EnsureManifestOutputsInBundle(source, result.Definition);
                return (result, bundle);
            }

            // Only a file that may still be uploading (a referenced file, or the sibling variable file when a variable
            // is what is wrong) is worth waiting for; every other error is final at once.
            var varFileMayBeArriving = varFileKey is not null && varFiles.Count == 0
                && result.Errors.Any(error => error.Message.Contains("variable", StringComparison.OrdinalIgnoreCase));
            var mayBeArriving = bundle.MissingPaths.Count > 0 || varFileMayBeArriving;
            if (!mayBeArriving || pollsLeft-- <= 0 || timeProvider.GetUtcNow() >= waitUntil)
            {
                throw Invalid(source, result, bundle);
            }

            await delay(options.MissingFilePoll, cancellationToken).ConfigureAwait(false);
            keys = null;
        }
    }

    /// <summary>How many times a load may stop for files HCL2's file()/templatefile() read (templatefile may name another file).</summary>
    private const int MaxFileReadRounds = 8;

    private async Task DownloadTextsAsync(BuildSource source, S3BundleFiles bundle, Dictionary<string, string> texts, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        foreach (var path in bundle.PendingReads.Order(StringComparer.Ordinal).ToList())
        {
            var key = bundle.KeyOf(path);
            var stored = await retry.RunAsync("S3 GetObject (file read by the template)", token => objects.GetAsync(source.Bucket, key, token), cancellationToken)
                .ConfigureAwait(false)
                ?? throw new BuildFileInvalid($"s3://{source.Bucket}/{source.Key}: '{path}', which the template reads, disappeared from the bundle (s3://{source.Bucket}/{key}).");
            // Packer's file() refuses bytes that are not UTF-8 (filebase64 is the way for those); so does Bakery.
            try
            {
                texts[path] = StrictUtf8.GetString(stored.Content.Span);
            }
            catch (DecoderFallbackException)
            {
                throw new BuildFileInvalid(
                    $"s3://{source.Bucket}/{source.Key}: '{path}', which the template reads with file() or templatefile(), is not UTF-8 text.");
            }
        }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// A stack builds in its own region only: its policies pin builder instances, security groups and commands there
    /// (copies with ami_regions may go anywhere). Another region would be refused by IAM half-way; say so before.
    /// </summary>
    private void EnsureStackRegion(AmazonEbsBuilder builder, BuildSource source)
    {
        if (configuration.Region is { } stackRegion && !string.Equals(builder.Region, stackRegion, StringComparison.Ordinal))
        {
            throw new BuildFileInvalid(
                $"s3://{source.Bucket}/{source.Key}: builder '{builder.Name}' has \"region\": \"{builder.Region}\", but this Bakery stack builds in " +
                $"{stackRegion} only (its IAM policies allow builder instances there). Set \"region\": \"{stackRegion}\" and list " +
                $"{builder.Region} in ami_regions to have the AMI there too, or deploy a Bakery stack in {builder.Region}.");
        }
    }

    private static void EnsureManifestOutputsInBundle(BuildSource source, BuildDefinition definition)
    {
        foreach (var output in definition.Builds.SelectMany(plan => plan.PostProcessors).Select(manifest => manifest.Output).Distinct(StringComparer.Ordinal))
        {
            if (BundlePath.Combine("/", output) is not { Length: > 0 })
            {
                throw new BuildFileInvalid(
                    $"s3://{source.Bucket}/{source.Key}: manifest output '{output}' leaves the build's folder ({source.Prefix}); write it beside the build file.");
            }
        }
    }

    private static BuildFileInvalid Invalid(BuildSource source, BuildFileResult result, S3BundleFiles bundle)
    {
        var errors = result.Errors.Count == 0
            ? ["the build file selects no builds"]
            : result.Errors.Select(error => result.Redactor.Redact(error.ToString()));
        errors = errors.Concat(bundle.RefusedPaths.Order(StringComparer.Ordinal).Select(path =>
            $"'{path}' is a variable file: a build never reads *{S3BundleFiles.VariableFileSuffix} files as files (they hold builds' values); " +
            $"its own {Path.GetFileNameWithoutExtension(source.Key)}{S3BundleFiles.VariableFileSuffix} beside it is read as its variables."));
        return new BuildFileInvalid(
            $"s3://{source.Bucket}/{source.Key} is not a valid build file:\n  {string.Join("\n  ", errors)}");
    }

    private async Task EnsureAmiNameFreeAsync(AmazonEbsBuilder builder, Redactor redactor, CancellationToken cancellationToken)
    {
        // A name that still holds build-time data ({{ .SourceAMIName }}) is only known later; CreateImage refuses a taken name then.
        if (builder.ForceDeregister || builder.AmiName.Contains("{{", StringComparison.Ordinal))
        {
            return;
        }

        var images = aws.Images(builder.Region);
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["name"] = [builder.AmiName] };
        var existing = await retry.RunAsync("EC2 DescribeImages (ami_name)", token => images.FindAsync(filters, ["self"], token), cancellationToken)
            .ConfigureAwait(false);
        if (existing.Count > 0)
        {
            throw new AmiNameInUse(redactor.Redact(
                $"builder '{builder.Name}': ami_name '{builder.AmiName}' is used by {existing[0].ImageId} in {builder.Region}; " +
                "choose another name or set force_deregister: true."));
        }
    }

    /// <summary>Refuses the build when a file its provisioners upload is not in the bundle, before anything is staged.</summary>
    private static void EnsureReferencedFilesExist(BuildPlan plan, BuildSource source, S3BundleFiles bundle)
    {
        foreach (var reference in ReferencedFiles(plan).Where(reference => bundle.GetKind(reference.BundlePath) == BundleEntryKind.Missing))
        {
            throw new BuildFileInvalid($"s3://{source.Bucket}/{source.Key}: '{reference.AsWritten}' is not in the bundle (s3://{source.Bucket}/{bundle.KeyOf(reference.BundlePath)}).");
        }
    }

    private async Task<List<string>> StageFilesAsync(
        BuildPlan plan,
        BuildSource source,
        S3BundleFiles bundle,
        string stagingPrefix,
        Dictionary<string, string> alreadyStaged,
        CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        var planKeys = new List<string>();
        foreach (var reference in ReferencedFiles(plan))
        {
            var kind = bundle.GetKind(reference.BundlePath);
            if (kind == BundleEntryKind.Missing)
            {
                throw new BuildFileInvalid($"s3://{source.Bucket}/{source.Key}: '{reference.AsWritten}' is not in the bundle (s3://{source.Bucket}/{bundle.KeyOf(reference.BundlePath)}).");
            }

            // A folder is listed by its prefix: its files can be many, and the state carries this list (Teardown expands it).
            var isDirectory = kind == BundleEntryKind.Directory;
            var stagedKey = isDirectory ? Staging.FolderPrefix(stagingPrefix, reference) : Staging.FileKey(stagingPrefix, reference);
            if (!alreadyStaged.ContainsKey(reference.BundlePath))
            {
                var paths = isDirectory ? bundle.FilesUnder(reference.BundlePath.TrimEnd('/')) : [reference.BundlePath];
                foreach (var path in paths)
                {
                    var from = bundle.KeyOf(path);
                    var to = isDirectory ? stagedKey + path[(reference.BundlePath.TrimEnd('/').Length + 1)..] : stagedKey;
                    // Server-side: S3 copies the bytes, so a file or folder of any size stages within the function's memory and time.
                    var copied = await retry.RunAsync("S3 CopyObject (staging)", token => objects.CopyAsync(source.Bucket, from, to, token), cancellationToken)
                        .ConfigureAwait(false);
                    if (!copied)
                    {
                        throw new BuildFileInvalid($"s3://{source.Bucket}/{source.Key}: '{reference.AsWritten}' disappeared from the bundle (s3://{source.Bucket}/{from}).");
                    }
                }

                alreadyStaged[reference.BundlePath] = stagedKey;
            }

            if (!planKeys.Contains(stagedKey, StringComparer.Ordinal))
            {
                planKeys.Add(stagedKey);
            }
        }

        return planKeys;
    }

    /// <summary>Every bundle file a plan's provisioners upload: shell/powershell scripts and <c>file</c> sources.</summary>
    private static IEnumerable<ScriptSource> ReferencedFiles(BuildPlan plan)
    {
        foreach (var provisioner in plan.Provisioners)
        {
            var sources = provisioner switch
            {
                ShellProvisioner shell => shell.Scripts,
                PowerShellProvisioner powerShell => powerShell.Scripts,
                FileProvisioner { Direction: not "download" } file => file.Sources,
                _ => [],
            };
            foreach (var reference in sources.Where(s => !string.IsNullOrEmpty(s.BundlePath)))
            {
                yield return reference;
            }
        }
    }

    private async Task<AmazonEbsBuilder> ReadUserDataAsync(AmazonEbsBuilder builder, BuildSource source, S3BundleFiles bundle, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(builder.UserDataFile))
        {
            return builder;
        }

        var key = bundle.KeyOf(builder.UserDataFile);
        var objects = aws.Objects;
        var stored = await retry.RunAsync("S3 GetObject (user_data_file)", token => objects.GetAsync(source.Bucket, key, token), cancellationToken)
            .ConfigureAwait(false)
            ?? throw new BuildFileInvalid($"builder '{builder.Name}': user_data_file '{builder.UserDataFile}' is not in the bundle (s3://{source.Bucket}/{key}).");
        return builder with { UserData = Encoding.UTF8.GetString(stored.Content.Span) };
    }

    /// <summary>
    /// Puts each provisioner's inline text (inline script lines, a file's content) in S3 under the staging prefix and
    /// leaves only its key in the plan: the state Step Functions carries (256 KiB, twice per build after the Map) and
    /// the SSM command (64 KB) would otherwise hold it. The staged text is the real one; the plan has none left to mask.
    /// </summary>
    private async Task<BuildPlan> StageInlineTextAsync(
        BuildPlan plan, string bucket, string stagingPrefix, List<string> planStaged, CancellationToken cancellationToken)
    {
        var objects = aws.Objects;
        var provisioners = new List<Provisioner>(plan.Provisioners.Count);
        foreach (var provisioner in plan.Provisioners)
        {
            var text = provisioner switch
            {
                ShellProvisioner { Inline.Count: > 0 } shell => ShellCommands.InlineScript(shell),
                PowerShellProvisioner { Inline.Count: > 0 } powerShell => PowerShellCommands.InlineScript(powerShell),
                FileProvisioner { Content: { } content } => content,
                _ => null,
            };
            if (text is null)
            {
                provisioners.Add(provisioner);
                continue;
            }

            var key = Staging.InlineKey(stagingPrefix, plan.Builder.Name, provisioner.Index);
            var bytes = Encoding.UTF8.GetBytes(text);
            await retry.RunAsync("S3 PutObject (inline text)", token => objects.PutAsync(bucket, key, bytes, "application/octet-stream", token), cancellationToken)
                .ConfigureAwait(false);
            planStaged.Add(key);
            provisioners.Add(provisioner switch
            {
                ShellProvisioner shell => shell with { Inline = [], StagedInlineKey = key },
                PowerShellProvisioner powerShell => powerShell with { Inline = [], StagedInlineKey = key },
                FileProvisioner file => file with { Content = null, StagedInlineKey = key },
                _ => provisioner,
            });
        }

        return plan with { Provisioners = provisioners };
    }

    private static Dictionary<string, string> MaskVariables(IReadOnlyDictionary<string, string> vars, BuildDefinition definition, Redactor redactor) =>
        vars.ToDictionary(
            pair => pair.Key,
            pair => definition.SensitiveVariables.Contains(pair.Key, StringComparer.Ordinal) ? Redactor.Mask : redactor.Redact(pair.Value),
            StringComparer.Ordinal);

    /// <summary>Where build files live in the bucket: each in its own folder under this prefix.</summary>
    public const string BuildsPrefix = "builds/";

    /// <summary>
    /// A build's folder is its bundle (every file it may read), so it must be a folder of its own under
    /// <see cref="BuildsPrefix"/>: a build file at <c>builds/x.json</c> or outside <c>builds/</c> would read other builds'
    /// files, or the staging area.
    /// </summary>
    private static void EnsureOwnFolder(string bucket, string key)
    {
        var folder = FolderOf(key);
        if (!folder.StartsWith(BuildsPrefix, StringComparison.Ordinal) || folder.Length == BuildsPrefix.Length)
        {
            var stem = Path.GetFileNameWithoutExtension(key);
            throw new BuildFileInvalid(
                $"s3://{bucket}/{key}: a build file lives in its own folder under {BuildsPrefix} (its folder is everything the build may read); " +
                $"put it and its files in s3://{bucket}/{BuildsPrefix}{(stem.Length > 0 ? stem : "NAME")}/.");
        }
    }

    /// <summary>The folder of a key, with its trailing '/' ("" at the bucket root).</summary>
    internal static string FolderOf(string key)
    {
        var slash = key.LastIndexOf('/');
        return slash < 0 ? string.Empty : key[..(slash + 1)];
    }
}
