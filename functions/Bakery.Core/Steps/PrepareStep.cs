using System.Text;
using System.Text.Json;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Logging;
using Bakery.Core.Resume;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Steps.Prepare;
using Bakery.Core.Triggers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bakery.Core.Steps;

/// <summary>
/// The first step: turns the execution's input (any of the three trigger shapes) into one bake state per builder.
/// Claims the build in the ledger (a duplicate trigger ends here with <c>skip: duplicate</c>), reads the build file
/// and its bundle from S3, renders and validates it, checks every builder (region, tags, source image, AMI name,
/// referenced files, user_data) and stages the scripts and files the instance will need under
/// <c>staging/{buildId}/files/</c>. Each job is a small class in Steps/Prepare/; this class is their order.
/// </summary>
public sealed class PrepareStep
{
    /// <summary>Where a rendered plan with its real (unmasked) values is kept for the Provision step: <c>{StagingPrefix}rendered/{builder}.json</c>.</summary>
    public const string RenderedFolder = "rendered/";

    /// <summary>Where build files live in the bucket: each in its own folder under this prefix.</summary>
    public const string BuildsPrefix = BuildFileSource.BuildsPrefix;

    private readonly IAwsServices aws;
    private readonly IBuildLedger ledger;
    private readonly BakeryConfiguration configuration;
    private readonly TimeProvider timeProvider;
    private readonly AwsRetry retry;
    private readonly PrepareOptions options;
    private readonly Func<Guid> newGuid;
    private readonly BuildFileSource buildFiles;
    private readonly TemplateFolderReader templateFolders;
    private readonly BundleLoader bundles;
    private readonly SettingsReader settings;
    private readonly StackRegionCheck stackRegion;
    private readonly SourceImageResolver sourceImages;
    private readonly AmiNameCheck amiNames;
    private readonly UserDataReader userData;
    private readonly BuildEvents events;
    private readonly ILogger logger;

    public PrepareStep(
        IAwsServices aws,
        IBuildLedger ledger,
        BakeryConfiguration configuration,
        AwsRetry retry,
        TimeProvider timeProvider,
        PrepareOptions? options = null,
        Func<TimeSpan, CancellationToken, Task>? delay = null,
        Func<Guid>? newGuid = null,
        ILogger? logger = null)
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
        this.newGuid = newGuid ?? Guid.NewGuid;
        this.logger = logger ?? NullLogger.Instance;
        buildFiles = new BuildFileSource(aws.Objects, retry, configuration.Bucket);
        templateFolders = new TemplateFolderReader(aws.Objects, retry);
        bundles = new BundleLoader(aws.Objects, retry, timeProvider, this.options, delay ?? ((wait, token) => Task.Delay(wait, timeProvider, token)),
            new DataSourceLookup(aws, retry, configuration));
        settings = new SettingsReader(aws.Objects, retry, configuration);
        stackRegion = new StackRegionCheck(configuration.Region);
        sourceImages = new SourceImageResolver(aws, retry);
        amiNames = new AmiNameCheck(aws, retry);
        userData = new UserDataReader(aws.Objects, retry);
        events = new BuildEvents(aws, retry, configuration.EventBus);
    }

    public string Name => StepNames.Prepare;

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
        IReadOnlyDictionary<string, (ResumeBuilder Point, IReadOnlyList<ImageDescription> Images)>? seeds = null;
        if (request.ResumeBuildId is { } resumeId)
        {
            // Refused before the claim: the failed build's record stays as it was, and nothing is staged or launched.
            (request, seeds) = await PrepareResumeAsync(request, resumeId, executionId, started, cancellationToken).ConfigureAwait(false);
        }

        var uniqueId = executionId is { Length: > 0 } ? () => GuidOf(executionId) : newGuid;
        var identity = BuildIds.Identify(request, uniqueId);

        StoredObject? fetched = null;
        TemplateFolder? folder = null;
        if (request.Bucket is not null)
        {
            if (request.Key!.EndsWith('/'))
            {
                folder = await templateFolders.ReadAsync(request.Bucket, request.Key, cancellationToken).ConfigureAwait(false);
                fetched = folder!.Templates[0];
            }
            else
            {
                fetched = await buildFiles.FetchAsync(request, cancellationToken).ConfigureAwait(false);
                if (request.Kind == TriggerKind.S3Upload && BuildFileSniffer.WhyNotABuildFile(fetched) is { } reason)
                {
                    return new BakeState
                    {
                        BuildId = identity.BuildId,
                        Skip = new SkipInfo("not-a-build-file", $"s3://{request.Bucket}/{fetched.Key} {reason}; nothing to build."),
                    };
                }

                // A template file beside others is part of its folder's template: the build is the folder's.
                folder = await templateFolders.ReadAsync(request.Bucket, fetched.Key, cancellationToken).ConfigureAwait(false);
                fetched = folder?.Templates[0] ?? fetched;
            }

            if (folder is not null)
            {
                identity = BuildIds.Identify(request, uniqueId, (folder.Prefix, folder.ContentHash));
            }
        }

        // Prepare learns the build id from its input (a folder's from its files): from here on, every line carries it.
        using var scope = LogScopes.Step(logger, StepNames.Prepare, identity.BuildId);
        var claimDeadline = (started + options.DefaultBuildTimeout).ToUnixTimeSeconds();
        if (seeds is not null)
        {
            if (!await ledger.TryClaimForResumeAsync(identity.BuildId, executionId, claimDeadline, cancellationToken).ConfigureAwait(false))
            {
                throw new ResumeRefused(
                    $"Build {identity.BuildId} is being resumed by another execution, or stopped being resumable while this one started; nothing was started.");
            }
        }
        else if (!await ClaimAsync(request, identity, executionId, claimDeadline, cancellationToken).ConfigureAwait(false))
        {
            return new BakeState
            {
                BuildId = identity.BuildId,
                Skip = new SkipInfo("duplicate", $"Build {identity.BuildId} was already started by this trigger ({identity.Identity})."),
            };
        }

        try
        {
            var state = await PrepareClaimedAsync(request, identity.BuildId, fetched, folder, started, seeds, cancellationToken).ConfigureAwait(false);
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
            // The workflow ends with Prepare's error: this is the build's last state change, so its event is put here.
            await PutRefusedEventAsync(
                new BuildEventDetail
                {
                    BuildId = identity.BuildId,
                    Status = "Failed",
                    BuildFile = request.Bucket is not null ? $"s3://{request.Bucket}/{request.Key}" : null,
                    Error = error.GetType().Name,
                    Cause = error.Message,
                },
                CancellationToken.None).ConfigureAwait(false);
            // A refusal found after staging (a later builder's name, the state's size) leaves nothing staged behind.
            await BundleStager.RemoveAllAsync(aws.Objects, retry, request.Bucket ?? configuration.Bucket, Staging.BuildPrefix(identity.BuildId), CancellationToken.None)
                .ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The refused build's event; the build's own error is what the workflow must end with, even if this put fails.</summary>
    private async Task PutRefusedEventAsync(BuildEventDetail detail, CancellationToken cancellationToken)
    {
        try
        {
            await events.PutAsync(detail, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception problem) when (problem is not OperationCanceledException)
        {
            // Not thrown: it would replace the reason the build was refused, which the ledger and the execution must show.
        }
    }

    /// <summary>Where Prepare keeps a plan's unmasked rendering when the build has sensitive variables.</summary>
    public static string RenderedPlanKey(string stagingPrefix, string builderName) =>
        $"{stagingPrefix}{RenderedFolder}{Uri.EscapeDataString(builderName)}.json";

    /// <summary>
    /// A resume: the failed build's record says which file, which builders and which images (<see cref="ResumeCheck"/>);
    /// every kept image must still be there (<see cref="ResumeSeeds.EnsureImagesThere"/>). Returns the request as the
    /// failed build's (its file, its builders) and each builder's seed.
    /// </summary>
    private async Task<(BuildRequest Request, IReadOnlyDictionary<string, (ResumeBuilder Point, IReadOnlyList<ImageDescription> Images)> Seeds)> PrepareResumeAsync(
        BuildRequest request, string buildId, string? executionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await ledger.GetAsync(buildId, cancellationToken).ConfigureAwait(false);
        // The same execution retrying Prepare finds the build claimed (by itself): the claim's token decides.
        var hold = record is { Status: BuildStatus.Claimed, Resume: { } claimed } && executionId is { Length: > 0 }
            ? claimed
            : ResumeCheck.Check(buildId, record, now);
        var (bucket, key) = ResumeCheck.Source(record!);
        var seeds = new Dictionary<string, (ResumeBuilder, IReadOnlyList<ImageDescription>)>(StringComparer.Ordinal);
        foreach (var point in hold.Builders)
        {
            var described = new List<ImageDescription?>();
            foreach (var image in point.Images)
            {
                described.Add(await DescribeKeptAsync(image, cancellationToken).ConfigureAwait(false));
            }

            ResumeSeeds.EnsureImagesThere(buildId, point, described);
            seeds[point.Builder] = (point, described.Select(d => d!).ToList());
        }

        return (request with { Bucket = bucket, Key = key, Only = [.. hold.Builders.Select(point => point.Builder)], Except = [] }, seeds);
    }

    private async Task<ImageDescription?> DescribeKeptAsync(BuiltImage image, CancellationToken cancellationToken)
    {
        try
        {
            return await retry.RunAsync("DescribeImages (kept for resume)", token => aws.Images(image.Region).DescribeAsync(image.ImageId, token), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (Aws.AwsErrors.HasCode(error, Cleanup.GoneCodes))
        {
            return null;
        }
    }

    private async Task<BakeState> PrepareClaimedAsync(
        BuildRequest request,
        string buildId,
        StoredObject? fetched,
        TemplateFolder? folder,
        DateTimeOffset started,
        IReadOnlyDictionary<string, (ResumeBuilder Point, IReadOnlyList<ImageDescription> Images)>? seeds,
        CancellationToken cancellationToken)
    {
        var file = await buildFiles.LocateAsync(request, buildId, fetched, cancellationToken).ConfigureAwait(false);
        var loaded = await bundles.LoadAsync(request, file, folder, cancellationToken).ConfigureAwait(false);
        await RecordWarningsAsync(buildId, file, loaded.Result.Warnings, cancellationToken).ConfigureAwait(false);
        var definition = loaded.Definition;
        HistoryEvents.EnsureEnough(file.Described, definition.Builds.Count);
        var bakerySettings = await settings.ReadAsync(request, file.Source, definition, loaded.Bundle, cancellationToken).ConfigureAwait(false);
        var source = file.Source with { Vars = MaskVariables(request.Vars, definition, loaded.Redactor) };
        var stagingPrefix = Staging.BuildPrefix(buildId);
        var stager = new BundleStager(aws.Objects, retry, file, loaded.Bundle, stagingPrefix);

        // Every check that can refuse the build runs for every builder before anything is staged: a file refused at
        // its second builder must not leave the first builder's staged files (and rendered plan) behind.
        var checkedBuilders = new List<CheckedBuilder>();
        foreach (var plan in definition.Builds)
        {
            stackRegion.Check(file.Described, plan.Builder);
            TagLimits.Check(file.Described, plan.Builder);
            var (imageId, imageName) = await sourceImages.ResolveAsync(file.Described, plan.Builder, cancellationToken).ConfigureAwait(false);
            if (seeds?.ContainsKey(plan.Builder.Name) != true)
            {
                // A resumed builder's ami_name is taken by its own kept image.
                await amiNames.EnsureFreeAsync(plan.Builder, loaded.Redactor, cancellationToken).ConfigureAwait(false);
            }

            stager.EnsureFilesExist(plan);
            var builder = await userData.ReadAsync(plan.Builder, source, loaded.Bundle, cancellationToken).ConfigureAwait(false);
            checkedBuilders.Add(new CheckedBuilder(plan with { Builder = builder }, imageId, imageName));
        }

        var builds = new List<BakeState>();
        foreach (var builder in checkedBuilders)
        {
            var plan = builder.Plan;
            if (seeds?.TryGetValue(plan.Builder.Name, out var kept) == true && kept.Images[0].Name is { Length: > 0 } keptName)
            {
                // Rendered again, ami_name may differ ({{timestamp}}): the copies a resume makes are named as the kept image is.
                plan = plan with { Builder = plan.Builder with { AmiName = keptName } };
            }

            var staged = await stager.StageAsync(plan, loaded.Redactor, cancellationToken).ConfigureAwait(false);
            if (bakerySettings?.TestImage is { } test)
            {
                staged = await stager.StageTestAsync(staged, test.Provisioners, cancellationToken).ConfigureAwait(false);
            }

            var build = new BakeState
            {
                BuildId = buildId,
                Source = source,
                StagingPrefix = stagingPrefix,
                Build = staged.Masked,
                Settings = bakerySettings,
                SourceImageId = builder.SourceImageId,
                SourceImageName = builder.SourceImageName,
                Created = new CreatedResources { StagedKeys = staged.Keys },
                DeadlineEpochSeconds = BuildDeadlines.For(staged.Real, started, options.DefaultBuildTimeout),
            };
            builds.Add(seeds?.TryGetValue(plan.Builder.Name, out var seed) == true ? ResumeSeeds.Seed(build, seed.Point, seed.Images) : build);
        }

        return PreparedStates.Assemble(buildId, source, stagingPrefix, builds, new StepTiming(StepNames.Prepare, started, timeProvider.GetUtcNow()), bakerySettings);
    }

    /// <summary>
    /// The warnings <c>bakery validate</c> would print: a build started from S3 has no terminal, so they go to the function's
    /// log and the build's ledger record (<c>bakery status</c>). Already redacted by the loader.
    /// </summary>
    private async Task RecordWarningsAsync(string buildId, LocatedBuildFile file, IReadOnlyList<Diagnostic> warnings, CancellationToken cancellationToken)
    {
        if (warnings.Count == 0)
        {
            return;
        }

        var lines = warnings.Select(warning => warning.ToString()).ToList();
        foreach (var line in lines)
        {
            PrepareLog.BuildFileWarning(logger, file.Described, line);
        }

        await ledger.RecordWarningsAsync(buildId, lines, cancellationToken).ConfigureAwait(false);
    }

    private Task<bool> ClaimAsync(BuildRequest request, BuildIdentity identity, string? executionId, long deadline, CancellationToken cancellationToken) =>
        ledger.TryClaimAsync(
            new BuildClaim
            {
                BuildId = identity.BuildId,
                Identity = identity.Identity,
                Source = request.SourceDescription,
                Trigger = request.Kind.ToString(),
                DeadlineEpochSeconds = deadline,
                ClaimToken = executionId is { Length: > 0 } ? executionId : null,
            },
            cancellationToken);

    private static Dictionary<string, string> MaskVariables(IReadOnlyDictionary<string, string> vars, BuildDefinition definition, Redactor redactor) =>
        vars.ToDictionary(
            pair => pair.Key,
            pair => definition.SensitiveVariables.Contains(pair.Key, StringComparer.Ordinal) ? Redactor.Mask : redactor.Redact(pair.Value),
            StringComparer.Ordinal);

    /// <summary>A stable GUID for an execution id (a console start's unique part, the same on every attempt of one execution).</summary>
    private static Guid GuidOf(string executionId) =>
        new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(executionId)).AsSpan(0, 16));
}
