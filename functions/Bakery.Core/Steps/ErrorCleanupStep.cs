using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Packer's <c>error-cleanup-provisioner</c>: after Provision failed and before Teardown terminates the instance, the
/// build's cleanup provisioner runs on it by the build's own Provision step (same SSM commands, same output tails, the
/// same wait loop). As packer's StepProvision does, the build keeps its original error; when the cleanup fails too, the
/// cause becomes "Cleanup failed: X. Original Provisioning error: Y", which the step leaves in
/// <see cref="ErrorCleanupInfo.Failure"/> for the workflow to report (it does not throw: the instance is still to be
/// torn down, and the original error stays the build's).
/// </summary>
public sealed class ErrorCleanupStep(IAwsServices aws, AwsRetry retry, TimeProvider time) : IBakeStep
{
    private readonly ProvisionStep _provision = new(aws, retry, time);

    public string Name => StepNames.ErrorCleanup;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var build = state.RequireBuild(Name);
        if (build.ErrorCleanupProvisioner is null)
        {
            throw new BuildInputInvalid($"{Name}: the build has no error-cleanup-provisioner (the workflow runs ErrorCleanup only when it has).");
        }

        if (state.ErrorCleanup is { Provisioning.Finished: true } or { Failure: not null })
        {
            return state.Finished();
        }

        // Provision runs on the real plan (a masked value would fail the command), so what comes back is masked here.
        var (realPlan, redactor) = await RealPlans.LoadAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);
        var starting = state.ErrorCleanup is null;
        var view = state with
        {
            Build = realPlan with { Provisioners = [realPlan.ErrorCleanupProvisioner!], ErrorCleanupProvisioner = null },
            Provisioning = state.ErrorCleanup?.Provisioning,
            // The failed Provision's last wait is not this one's.
            Wait = starting ? null : state.Wait,
        };

        BakeState provisioned;
        try
        {
            provisioned = await _provision.RunAsync(view, cancellationToken).ConfigureAwait(false);
        }
        catch (BakeryException failed) when (failed is not AwsTransientError)
        {
            var failure = $"Cleanup failed: {redactor.Redact(failed.Message)}. Original Provisioning error: {OriginalMessage(state.Error)}";
            return (state with { ErrorCleanup = new ErrorCleanupInfo { Provisioning = state.ErrorCleanup?.Provisioning, Failure = failure } }).Finished();
        }

        var progress = provisioned.Provisioning is { } p
            ? p with { OutputTail = Redact(redactor, p.OutputTail), ErrorTail = Redact(redactor, p.ErrorTail) }
            : null;
        return state with
        {
            ErrorCleanup = new ErrorCleanupInfo { Provisioning = progress },
            Wait = provisioned.Wait,
            History = provisioned.History,
            DeadlineEpochSeconds = provisioned.DeadlineEpochSeconds,
            // A download the cleanup made (its logs, say) is the build's like any other, and so is a transfer list it staged.
            Downloads = provisioned.Downloads,
            Created = provisioned.Created,
        };
    }

    /// <summary>
    /// The original error as people read it: a Lambda step's cause is its error document (<c>errorMessage</c>), a
    /// workflow Pass state's is the text itself.
    /// </summary>
    internal static string OriginalMessage(ErrorInfo? error) =>
        LambdaErrorCause.MessageOf(error?.Cause) ?? error?.Error ?? "(none recorded)";

    private static string? Redact(Redactor redactor, string? text) => text is null ? null : redactor.Redact(text);
}
