using System.Globalization;
using System.Text;
using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Ledger;
using Bakery.Core.Serialization;
using Bakery.Local.StandIn;
using Bakery.Local.StepFunctions;

namespace Bakery.Cli.Build;

/// <summary>
/// <c>bakery build</c> without <c>--stack</c>: starts a temporary stand-in (or uses <c>AWS_ENDPOINT_URL</c> as its AWS
/// side), uploads the bundle to its bucket as it would go to AWS, runs the real definition with the input the deployed
/// stack would get, renders the events, writes manifests, and on Ctrl-C stops the execution and tears down. What the
/// local instances' scripts print is streamed through <paramref name="redactor"/> (the build file's sensitive
/// variables): those lines come straight from the stand-in, not through Provision, which redacts what it reports.
/// <paramref name="time"/> is the clock of everything the build dates: the trigger event, the resume hold's expiry, the
/// report's elapsed time, the manifests and the ledger's updates.
/// </summary>
internal sealed class LocalBuild(BuildSettings settings, BuildUi ui, Bakery.BuildFiles.Redactor redactor, TimeProvider time)
{
    private static readonly TimeSpan TeardownPoll = TimeSpan.FromMilliseconds(200);

    // The builds whose script output a local instance streamed to this process (not when attached to a running stand-in).
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> streamed = new(StringComparer.Ordinal);
    private const int TeardownMaxChecks = 40;
    private static readonly TimeSpan StepsFinishTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The error name an interrupted build gets in its state (for Teardown) and in the ledger.</summary>
    internal const string InterruptedError = Bakery.Core.Resume.ResumePoints.InterruptedError;

    public async Task<int> RunAsync(BuildBundle bundle, BuildDefinition definition, Interrupts interrupts)
    {
        ArgumentNullException.ThrowIfNull(interrupts);
        var interrupt = interrupts.Token;
        var root = RepositoryRoot.Find();
        var userEndpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL") is { Length: > 0 } url ? new Uri(url) : null;
        // A stand-in `bakery local up` started is used as it is (unless AWS_ENDPOINT_URL points elsewhere).
        var running = StandInStateFile.ReadRunning(StandInStateFile.PathFor(root));
        if (running is not null && userEndpoint is not null && new Uri(running.AwsEndpoint).GetLeftPart(UriPartial.Authority) != userEndpoint.GetLeftPart(UriPartial.Authority))
        {
            running = null;
        }

        if (running is not null)
        {
            ui.Say(null, $"Using the running local stand-in (AWS {running.AwsEndpoint}, Lambda {running.LambdaEndpoint})");
        }
        else
        {
            // Starting takes seconds even when everything is cached (moto, the Lambda service, Node): say so, not silence.
            ui.Say(null, userEndpoint is null
                ? "Starting the local stand-in (moto, the local Lambda service, the Step Functions runner)..."
                : $"Starting the local stand-in on {userEndpoint.GetLeftPart(UriPartial.Authority)} (the local Lambda service, the Step Functions runner)...");
        }

        await using var standIn = running is not null ? LocalStandIn.Attach(root, running) : await LocalStandIn.StartAsync(new LocalStandInOptions
        {
            RepositoryRoot = root,
            AwsEndpoint = userEndpoint,
            MotoOwnerProcessId = Environment.ProcessId,
            Progress = line => ui.Say(null, line),
            // Notes on the instances and each line their scripts print, as Packer shows them.
            InstancesOutput = new Bakery.Local.Instances.LocalInstancesOutput
            {
                OnSay = (target, text) => ui.Say(target, redactor.Redact(text)),
                OnLine = (target, text) =>
                {
                    streamed[target] = true;
                    ui.Message(target, redactor.Redact(text));
                },
            },
            LogDirectory = Path.Combine(root, ".bakery", "logs", $"build-{time.GetLocalNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}"),
            WaitOverride = LocalWaitOverride(),
        }, interrupt).ConfigureAwait(false);
        var stack = standIn.Description;

        using (var s3 = LocalStandIn.S3(stack.AwsEndpoint, stack.Region))
        {
            // This run streams its own execution: the running stand-in's upload trigger must not start a second one.
            var metadata = standIn.IsAttached ? new Dictionary<string, string> { [LocalUploadTrigger.SkipMetadataKey] = "off" } : null;
            var upload = await BundleUploader.UploadAsync(s3, stack.Bucket, bundle, interrupt, metadata).ConfigureAwait(false);
            var put = upload.Last;
            // A folder is started by its folder key (the console's shape) or by the event of its last template, which
            // Prepare reads as the whole folder's (TemplateFolderReader).
            var templateKey = bundle.FolderKey ?? bundle.BuildFileKey;
            var triggerKey = bundle.Files[^1].Key;
            var input = settings.Input.Only.Count > 0 || settings.Input.Except.Count > 0
                // Variables stay in the uploaded <name>.vars.json (Prepare reads it for console starts too): never in the
                // execution input, which Step Functions keeps in its history.
                ? BuildTrigger.Console(stack.Bucket, templateKey, settings.Input.Only, settings.Input.Except, [],
                    BuildTrigger.NewConsoleBuildId(stack.Bucket, templateKey))
                : BuildTrigger.S3ObjectCreated(stack.Bucket, triggerKey, new FileInfo(bundle.Files[^1].LocalPath!).Length, put.ETag, put.VersionId, stack.Region, time.GetUtcNow());
            var buildId = bundle.FolderKeys is not null && settings.Input.Only.Count == 0 && settings.Input.Except.Count == 0
                ? BuildTrigger.FolderBuildIdOf(stack.Bucket, bundle, upload)
                : BuildTrigger.BuildIdOf(input);
            var build = new StartedBuild(buildId, stack.Bucket, bundle.BuildFileKey, definition);
            return await RunExecutionAsync(standIn, input, build, interrupts).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>bakery build --resume BUILD_ID FILE</c>: continues the failed build on the stand-in it ran on (one
    /// <c>bakery local up</c> started: a stand-in started for a single build is gone with its builds). Nothing is
    /// uploaded: the resume reads the build file the failed build was made from. The ledger is asked first, so a
    /// refusal is said before anything starts; Prepare checks again (and that the kept images are there).
    /// </summary>
    public async Task<int> ResumeAsync(string buildId, BuildBundle bundle, BuildDefinition definition, Interrupts interrupts)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(interrupts);
        var root = RepositoryRoot.Find();
        if (StandInStateFile.ReadRunning(StandInStateFile.PathFor(root)) is not { } running)
        {
            ui.Error(null, $"Cannot resume build {buildId}: no local stand-in is running. A stand-in started for one build stops with it, and its builds " +
                "(and what they kept) go with it; run `bakery local up` before `bakery build` to keep failed builds resumable.");
            return 1;
        }

        ui.Say(null, $"Using the running local stand-in (AWS {running.AwsEndpoint}, Lambda {running.LambdaEndpoint})");
        await using var standIn = LocalStandIn.Attach(root, running);
        var stack = standIn.Description;
        using (var dynamoDb = LocalStandIn.DynamoDb(stack.AwsEndpoint, stack.Region))
        {
            var ledger = new DynamoDbBuildLedger(dynamoDb, stack.LedgerTable, time, new AwsRetry(time));
            var record = await ledger.GetAsync(buildId, interrupts.Token).ConfigureAwait(false);
            try
            {
                var hold = Bakery.Core.Resume.ResumeCheck.Check(buildId, record, time.GetUtcNow());
                var (bucket, key) = Bakery.Core.Resume.ResumeCheck.Source(record!);
                if (bucket != stack.Bucket || key != bundle.BuildFileKey)
                {
                    ui.Error(null, $"Build {buildId} was made from s3://{bucket}/{key}, not from {settings.Input.Path} (s3://{stack.Bucket}/{bundle.BuildFileKey}); " +
                        "give the build file it was made from. Nothing was started.");
                    return 1;
                }

                ui.Say(null, $"Resuming build {buildId}: " + string.Join("; ", hold.Builders.Select(builder => builder.From == ResumeInfo.Done
                    ? $"{builder.Builder} finished ({string.Join(", ", builder.Images.Select(image => image.ImageId))})"
                    : builder.From == ResumeInfo.FromTestImage
                        ? $"{builder.Builder} tests its image {builder.Images[0].ImageId} again, then continues"
                        : $"{builder.Builder} continues after its image {builder.Images[0].ImageId}")));
            }
            catch (Bakery.Core.Exceptions.ResumeRefused refused)
            {
                ui.Error(null, refused.Message);
                return 1;
            }
        }

        var input = new System.Text.Json.Nodes.JsonObject { ["resume"] = buildId }.ToJsonString();
        return await RunExecutionAsync(standIn, input, new StartedBuild(buildId, stack.Bucket, bundle.BuildFileKey, definition), interrupts).ConfigureAwait(false);
    }

    private async Task<int> RunExecutionAsync(LocalStandIn standIn, string input, StartedBuild build, Interrupts interrupts)
    {
        var interrupt = interrupts.Token;
        var definition = build.Definition;
        var progress = new BuildProgress(ui, streamed.ContainsKey);
        StateMachineEvent? result = null;
        try
        {
            await foreach (var evt in standIn.Runner.StreamAsync(input, interrupt).ConfigureAwait(false))
            {
                if (evt.Type == "Result")
                {
                    result = evt;
                    continue;
                }

                progress.OnEvent(evt);
            }
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            return await CleanUpAfterInterruptAsync(standIn, progress, build, interrupts).ConfigureAwait(false);
        }

        var status = result?.Raw.TryGetProperty("status", out var s) == true ? s.GetString() : "FAILED";

        // Ctrl-C in a terminal reaches the whole process group: the runner then aborts the execution itself and ends
        // normally, often before the cancellation above is seen. Either way the build was interrupted.
        if (status == "ABORTED" || interrupt.IsCancellationRequested)
        {
            return await CleanUpAfterInterruptAsync(standIn, progress, build, interrupts).ConfigureAwait(false);
        }

        if (progress.BuildId is { } prepared && prepared != build.BuildId)
        {
            // The id this run derived for an interrupt's cleanup was not Prepare's: an interrupt would have searched the wrong tags.
            ui.Error(null, $"Prepare named the build {prepared}, not {build.BuildId} as the CLI predicted; please report this.");
        }

        var outcomes = progress.Outcomes();
        var now = time.GetUtcNow();
        var exit = BuildReport.Write(ui, outcomes, progress.TopLevelFailedStep, status == "SUCCEEDED" ? null : result?.Error ?? "States.Runtime",
            result?.Cause, progress.Elapsed(now));
        await LocalManifests.WriteAsync(ui, outcomes, definition.RunUuid, now, CancellationToken.None).ConfigureAwait(false);
        return status == "SUCCEEDED" ? exit : 1;
    }

    private async Task<int> CleanUpAfterInterruptAsync(LocalStandIn standIn, BuildProgress progress, StartedBuild build, Interrupts interrupts)
    {
        var abandon = interrupts.CleanupToken;
        ui.Error(null, settings.OnError == "abort"
            ? "Build interrupted: the execution was stopped."
            : "Build interrupted: the execution was stopped. Cleaning up (Ctrl-C again stops the cleanup and leaves what is left)...");
        IReadOnlyList<BakeState> states = progress.LastStates.Count > 0 ? progress.LastStates : build.InitialStates();
        try
        {
            // A step still running goes on after its caller is gone (as on Lambda): let it finish, then find what it
            // created that no state recorded, so nothing outlives the build. Prepare may be one of them: the build id is
            // known from the input, so what it staged and claimed is found too.
            if (!await standIn.WaitForLambdaIdleAsync(StepsFinishTimeout).WaitAsync(abandon).ConfigureAwait(false))
            {
                ui.Error(null, $"A step was still running after {StepsFinishTimeout.TotalSeconds:0} s; cleaning up what is known so far.");
            }

            states = await InterruptedResources.AddUntrackedAsync(states, build.BuildId, standIn.Description, abandon).ConfigureAwait(false);
            var withResources = states.Where(HasResources).ToList();
            if (settings.OnError == "abort")
            {
                ui.Error(null, "-on-error=abort: keeping what the build created. To clean it up:");
                PrintCleanupCommands(withResources, standIn.Description);
                await CloseLedgerAsync(standIn.Description, build.BuildId, "The build was interrupted (Ctrl-C); -on-error=abort kept what it created.", abandon).ConfigureAwait(false);
                return interrupts.ExitCode;
            }

            await TearDownAsync(standIn, withResources, abandon).ConfigureAwait(false);
            await CloseLedgerAsync(standIn.Description, build.BuildId, "The build was interrupted (Ctrl-C) and cleaned up.", abandon).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            ui.Error(null, "Cleanup interrupted (second Ctrl-C): what the build created may be left. To remove it:");
            PrintCleanupCommands(states.Where(HasResources), standIn.Description);
            ui.Plain($"  (the ledger record of build {build.BuildId} stays Running until its deadline; the janitor then removes what is left)");
        }

        return interrupts.ExitCode;
    }

    private async Task TearDownAsync(LocalStandIn standIn, IReadOnlyList<BakeState> states, CancellationToken abandon)
    {
        using var http = new HttpClient { BaseAddress = standIn.LambdaEndpoint, Timeout = TimeSpan.FromMinutes(3) };
        foreach (var state in states)
        {
            var name = state.Build?.Builder.Name ?? "build";
            ui.Say(name, "Cleaning up: terminating the source instance and removing what the build created...");
            var current = state with { Error = new ErrorInfo { Error = InterruptedError, Cause = "The build was interrupted (Ctrl-C)." }, Wait = null };
            for (var check = 0; check < TeardownMaxChecks; check++)
            {
                using var content = new StringContent(JsonSerializer.Serialize(current, BakeryJsonContext.Default.BakeState), Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(new Uri("/2015-03-31/functions/TeardownFunction/invocations", UriKind.Relative), content, abandon).ConfigureAwait(false);
                var body = await response.Content.ReadAsStringAsync(abandon).ConfigureAwait(false);
                if (response.Headers.Contains("X-Amz-Function-Error"))
                {
                    ui.Error(name, $"Teardown failed: {BuildProgress.CauseText(body)}");
                    PrintCleanupCommands([current], standIn.Description);
                    break;
                }

                current = JsonSerializer.Deserialize(body, BakeryJsonContext.Default.BakeState)!;
                if (current.Wait?.Done != false)
                {
                    ui.Message(name, "Cleanup done.");
                    break;
                }

                await Task.Delay(TeardownPoll, abandon).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Marks the interrupted build failed in the ledger, as Publish would have: nobody else will (the execution is
    /// stopped), and a record left Running would look live to <c>bakery builds</c> and the janitor until its deadline.
    /// Nothing to do when Prepare never claimed it.
    /// </summary>
    private async Task CloseLedgerAsync(StandInDescription standIn, string buildId, string cause, CancellationToken cancellationToken)
    {
        using var dynamoDb = LocalStandIn.DynamoDb(standIn.AwsEndpoint, standIn.Region);
        var ledger = new DynamoDbBuildLedger(dynamoDb, standIn.LedgerTable, time, new AwsRetry(time));
        var record = await ledger.GetAsync(buildId, cancellationToken).ConfigureAwait(false);
        if (record?.Status is BuildStatus.Claimed or BuildStatus.Running)
        {
            await ledger.FailAsync(buildId, InterruptedError, cause, cancellationToken).ConfigureAwait(false);
        }
    }

    private void PrintCleanupCommands(IEnumerable<BakeState> states, StandInDescription standIn)
    {
        foreach (var state in states)
        {
            foreach (var line in CleanupCommands(state, standIn))
            {
                ui.Plain("  " + line);
            }
        }
    }

    private static bool HasResources(BakeState state) =>
        state.Created.InstanceIds.Count + state.Created.SecurityGroupIds.Count + state.Created.Images.Count + state.Created.StagedKeys.Count > 0
        || state.StagingPrefix is { Length: > 0 };

    /// <summary>The AWS CLI commands that remove what <paramref name="state"/> created.</summary>
    internal static IEnumerable<string> CleanupCommands(BakeState state, StandInDescription? standIn)
    {
        var endpoint = standIn is null ? "" : $" --endpoint-url {standIn.AwsEndpoint}";
        var region = state.Build?.Builder.Region ?? "us-east-1";
        if (state.Created.InstanceIds.Count > 0)
        {
            yield return $"aws ec2 terminate-instances --region {region}{endpoint} --instance-ids {string.Join(' ', state.Created.InstanceIds)}";
        }

        foreach (var group in state.Created.SecurityGroupIds)
        {
            yield return $"aws ec2 delete-security-group --region {region}{endpoint} --group-id {group}";
        }

        foreach (var image in state.Created.Images)
        {
            var parts = image.Split(':', 2);
            yield return $"aws ec2 deregister-image --region {parts[0]}{endpoint} --image-id {parts[^1]}";
        }

        if (state.StagingPrefix is { } prefix && state.Source is { } source)
        {
            yield return $"aws s3 rm{endpoint} --recursive s3://{source.Bucket}/{prefix}";
        }
    }

    /// <summary>BAKERY_LOCAL_WAIT_MS: how long each Wait state sleeps locally (default <see cref="LocalStandInOptions.DefaultWait"/>).</summary>
    private static TimeSpan LocalWaitOverride() =>
        int.TryParse(Environment.GetEnvironmentVariable("BAKERY_LOCAL_WAIT_MS"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : LocalStandInOptions.DefaultWait;
}
