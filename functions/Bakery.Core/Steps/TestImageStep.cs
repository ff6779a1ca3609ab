using System.Security.Cryptography;
using System.Text;
using Amazon.EC2;
using Amazon.Runtime;
using Bakery.BuildFiles.Settings;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Tests the new AMI (settings <c>test_image</c>), as EC2 Image Builder's test phase does, after CreateImage and before
/// Teardown, TagImage, CopyImage, ShareImage and PublishParameter: a fresh instance from the image, in the builder's
/// network with its profile, the test commands run on it by the build's own WaitForInstance and Provision steps (same
/// provisioner syntax, same SSM commands, same output tails), then the instance is asked to terminate and Teardown, which
/// comes next on every path, confirms it is gone. The verdict goes to <see cref="BakeState.Test"/>; the workflow fails a
/// build whose test failed (<c>ImageTestFailed</c>). With <c>on_failure: tag</c> a failed image is handed over
/// (<c>bakery:tested=false</c>, <c>bakery:managed=false</c>), so neither Teardown nor the janitor removes it.
/// </summary>
public sealed class TestImageStep(IAwsServices aws, BakeryConfiguration configuration, AwsRetry retry, TimeProvider time) : IBakeStep
{
    /// <summary>The tag a tested image carries: <c>true</c> or <c>false</c>.</summary>
    public const string TestedTag = "bakery:tested";

    /// <summary>The test instance's Name tag.</summary>
    public const string InstanceName = "Bakery image test";

    private readonly WaitForInstanceStep _waitForInstance = new(aws, retry, time);
    private readonly ProvisionStep _provision = new(aws, retry, time);

    public string Name => StepNames.TestImage;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var build = state.RequireBuild(Name);
        var image = state.RequireImage(Name);
        var settings = state.Settings?.TestImage
            ?? throw new BuildInputInvalid($"{Name}: the build's settings have no test_image (the workflow runs TestImage only when they do).");

        if (state.Test is null)
        {
            state = await LaunchAsync(state, image, settings, cancellationToken).ConfigureAwait(false);
            return state.WaitAgain(Name, Polling.NextDelay(0, build.Builder.AwsPolling), 1, build.Builder.AwsPolling);
        }

        var test = state.Test;
        if (test.Phase == ImageTestPhases.Finished)
        {
            return state.Finished();
        }

        // The steps run on the real plan (a masked value would fail the calls), so what comes back is masked here.
        var (realPlan, redactor) = await RealPlans.LoadAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);
        if (test.Phase == ImageTestPhases.Waiting)
        {
            var waited = await _waitForInstance.RunAsync(TestView(state, realPlan, test, settings), cancellationToken).ConfigureAwait(false);
            test = test with { Instance = waited.Instance! };
            if (waited.Wait is not { Done: true })
            {
                // The check WaitForInstance made is paid from this build's history share, as the builder's are.
                return (state with { Test = test, Wait = waited.Wait, History = waited.History });
            }

            // Reachable: the commands start in this same call.
            test = test with { Phase = ImageTestPhases.Running };
            state = state with { Test = test, Wait = null };
        }

        if (test.Phase == ImageTestPhases.Running)
        {
            BakeState provisioned;
            try
            {
                provisioned = await _provision.RunAsync(TestView(state, realPlan, test, settings), cancellationToken).ConfigureAwait(false);
            }
            catch (ProvisionerFailed failed)
            {
                return (await FinishAsync(state, test, image, settings, passed: false, redactor.Redact(failed.Message), cancellationToken).ConfigureAwait(false))
                    .Finished();
            }

            test = test with
            {
                Provisioning = provisioned.Provisioning is { } progress
                    ? progress with { OutputTail = Redact(redactor, progress.OutputTail), ErrorTail = Redact(redactor, progress.ErrorTail) }
                    : null,
            };
            if (provisioned.Wait is not { Done: true })
            {
                return (state with { Test = test, Wait = provisioned.Wait, History = provisioned.History, DeadlineEpochSeconds = provisioned.DeadlineEpochSeconds })
                    ;
            }

            var summary = $"{settings.Provisioners.Count} test command(s) passed on {test.Instance.InstanceId}, launched from {image.ImageId}";
            return (await FinishAsync(state, test, image, settings, passed: true, summary, cancellationToken).ConfigureAwait(false))
                .Finished();
        }

        throw new BuildInputInvalid($"{Name}: unknown test phase '{test.Phase}'.");
    }

    private static string? Redact(BuildFiles.Redactor redactor, string? text) => text is null ? null : redactor.Redact(text);

    /// <summary>
    /// Stable for one build and builder (and apart from Launch's), at most 64 ASCII characters: a retried TestImage gets
    /// the same test instance back.
    /// </summary>
    public static string ClientToken(string buildId, string builderName)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{buildId}\n{builderName}\ntest"));
        return "bakery-test-" + Convert.ToHexStringLower(hash)[..48];
    }

    /// <summary>The token of the <paramref name="attempt"/>-th option: the first keeps <see cref="ClientToken(string, string)"/>, each later type its own.</summary>
    internal static string ClientToken(string buildId, string builderName, LaunchOption option, int attempt) =>
        attempt == 0 ? ClientToken(buildId, builderName) : ClientToken(buildId, $"{builderName}\n{option.InstanceType}");

    private async Task<BakeState> LaunchAsync(BakeState state, ImageInfo image, TestImageSettings settings, CancellationToken cancellationToken)
    {
        var (builder, redactor) = await RealPlans.ActingBuilderAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);
        // The builder's groups, else the build's temporary group (Teardown, after this step, removes it).
        IReadOnlyList<string> groups = builder.SecurityGroupIds.Count > 0 ? builder.SecurityGroupIds : state.Created.SecurityGroupIds;
        var resourceTags = state.BakeryTags();
        var instanceTags = new Dictionary<string, string>(resourceTags, StringComparer.Ordinal)
        {
            ["Name"] = InstanceName,
            [StepStates.RoleTag] = StepStates.BuilderInstanceRole,
        };
        // On-demand only, whatever the build's market: a test is short, and a spot interruption would fail it for a reason
        // that is not the image's. test_image.instance_type (else the builder's types), then capacity.fallback_instance_types.
        var testBuilder = settings.InstanceType is { } type ? builder with { InstanceType = type, SpotInstanceTypes = [] } : builder;
        var options = CapacityFallback.Options(testBuilder with { SpotPrice = null }, state.Settings?.Capacity);
        var launcher = new InstanceLauncher(aws, configuration, retry);
        CapacityLaunch launched;
        try
        {
            launched = await launcher.LaunchAsync(
                builder,
                options,
                (option, index) =>
                {
                    var request = launcher.Request(builder, image.ImageId, option, groups, instanceTags, resourceTags, resourceTags, ClientToken(state.BuildId, builder.Name, option, index));
                    // An instance that shuts itself down is gone, not stopped: nothing of a test instance is worth keeping.
                    request.InstanceInitiatedShutdownBehavior = ShutdownBehavior.Terminate;
                    return request;
                },
                Name,
                cancellationToken).ConfigureAwait(false);
        }
        catch (LaunchFailed noCapacity)
        {
            throw new LaunchFailed(redactor.Redact(noCapacity.Message), noCapacity);
        }
        catch (AmazonServiceException refused) when (!AwsErrors.IsTransient(refused))
        {
            throw new LaunchFailed(
                redactor.Redact($"{Name}: RunInstances refused the test instance for builder '{builder.Name}' ({image.ImageId}, {options[0].InstanceType}): {refused.ErrorCode}: {refused.Message}"),
                refused);
        }

        var instance = launched.Instance;
        return state with
        {
            Test = new ImageTestInfo
            {
                Instance = new InstanceInfo
                {
                    InstanceId = instance.InstanceId,
                    State = instance.State,
                    AvailabilityZone = instance.AvailabilityZone,
                    PrivateIp = instance.PrivateIp,
                    LaunchedAt = time.GetUtcNow(),
                    InstanceType = launched.Option.InstanceType,
                },
                Phase = ImageTestPhases.Waiting,
            },
            Created = state.Created with { InstanceIds = state.Created.InstanceIds.Adding(instance.InstanceId) },
        };
    }

    /// <summary>
    /// The state as WaitForInstance and Provision see it for the test: the test instance in place of the builder, the test
    /// commands in place of the build's provisioners, the test's own progress. Their answers are copied back field by field;
    /// nothing else they return (timings under their names) enters the build's state.
    /// </summary>
    private static BakeState TestView(BakeState state, BuildFiles.Model.BuildPlan realPlan, ImageTestInfo test, TestImageSettings settings) => state with
    {
        Build = realPlan with { Provisioners = settings.Provisioners },
        Instance = test.Instance,
        Provisioning = test.Provisioning,
    };

    /// <summary>
    /// The verdict: the test instance is asked to terminate (Teardown confirms it), the image is tagged, and with
    /// <c>on_failure: tag</c> a failed image leaves the build's care (out of <see cref="BakeState.Created"/>, no longer
    /// bakery:managed) so Teardown keeps it.
    /// </summary>
    private async Task<BakeState> FinishAsync(
        BakeState state, ImageTestInfo test, ImageInfo image, TestImageSettings settings, bool passed, string summary, CancellationToken cancellationToken)
    {
        var region = state.Build!.Builder.Region;
        await Cleanup.IgnoringGoneAsync(retry, "TerminateInstances", token => aws.Instances(region).TerminateAsync([test.Instance.InstanceId], token), cancellationToken)
            .ConfigureAwait(false);

        var created = state.Created;
        var kept = !passed && settings.OnFailure == TestFailureActions.Tag;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal) { [TestedTag] = passed ? "true" : "false" };
        IReadOnlyList<string> tagged = [image.ImageId];
        if (kept)
        {
            tags[StepStates.ManagedTag] = "false";
            tagged = [image.ImageId, .. image.SnapshotIds];
            var ownRegional = image.SnapshotIds.Select(id => StepStates.Regional(region, id)).Append(StepStates.Regional(region, image.ImageId));
            created = created with
            {
                Images = created.Images.Removing(ownRegional),
                Snapshots = created.Snapshots.Removing(ownRegional),
            };
        }

        if (passed || kept)
        {
            // A failed image that goes anyway needs no tag: Teardown deregisters it and deletes its snapshots.
            await retry.RunAsync("CreateTags", token => aws.Images(region).TagAsync(tagged, tags, token), cancellationToken).ConfigureAwait(false);
        }

        return state with
        {
            Created = created,
            Test = test with
            {
                Phase = ImageTestPhases.Finished,
                Passed = passed,
                Summary = passed ? summary : $"{Name}: the test of {image.ImageId} failed on {test.Instance.InstanceId}: {summary}",
                OnFailure = passed ? null : settings.OnFailure,
            },
            Wait = null,
        };
    }
}
