using System.Text.Json.Nodes;
using Amazon.Runtime;
using Bakery.BuildFiles.Model;
using Bakery.Cli.Build;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;
using Bakery.Core.Resume;

namespace Bakery.Cli.Stack;

/// <summary>
/// <c>bakery build --resume BUILD_ID --stack NAME FILE</c>: checks the failed build as Prepare will (its record, that FILE
/// is the one it was made from, that every image it kept is still there), starts the stack's state machine with
/// <c>{"resume": "BUILD_ID"}</c> (<c>states:StartExecution</c>), then follows the build through the ledger once Prepare has
/// claimed it again, as a stack build is followed. A refusal is said before anything starts; Prepare checks again.
/// </summary>
internal sealed class StackResume(StackTarget stack, BuildUi ui)
{
    private static readonly string[] GoneCodes = ["InvalidAMIID.NotFound", "InvalidAMIID.Unavailable"];

    /// <summary>How long Prepare may take to claim the failed build again before the CLI gives up waiting.</summary>
    public TimeSpan ClaimTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(string buildId, BuildBundle bundle, BuildDefinition definition, CancellationToken interrupt)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(definition);
        var before = await stack.Ledger.GetAsync(buildId, interrupt).ConfigureAwait(false);
        try
        {
            var hold = ResumeCheck.Check(buildId, before, DateTimeOffset.UtcNow);
            var (bucket, key) = ResumeCheck.Source(before!);
            var uploaded = bundle.FolderKey ?? bundle.BuildFileKey;
            if (bucket != stack.Config.Bucket || (key != bundle.BuildFileKey && key != uploaded))
            {
                ui.Error(null, $"Build {buildId} was made from s3://{bucket}/{key}, not from the build file given (s3://{stack.Config.Bucket}/{uploaded}); " +
                    "give the build file it was made from. Nothing was started.");
                return 1;
            }

            await EnsureImagesThereAsync(buildId, hold, interrupt).ConfigureAwait(false);
            ui.Say(null, $"Resuming build {buildId} on stack {stack.Name}: " + string.Join("; ", hold.Builders.Select(Describe)));
        }
        catch (ResumeRefused refused)
        {
            ui.Error(null, refused.Message + " Nothing was started.");
            return 1;
        }

        string execution;
        try
        {
            execution = await StepFunctionsStarter.StartAsync(stack.Config.StateMachineArn, stack.Config.Region,
                new JsonObject { ["resume"] = buildId }.ToJsonString(), interrupt).ConfigureAwait(false);
        }
        catch (AmazonServiceException error)
        {
            ui.Error(null, $"Step Functions refused to start {stack.Config.StateMachineArn}: {error.ErrorCode}: {error.Message} " +
                "(the CLI needs states:StartExecution on the stack's state machine: docs/cli.md#stack-mode-permissions). Nothing was started.");
            return 1;
        }

        ui.Say(null, $"Started {execution}; waiting for the stack to claim build {buildId} again...");
        var follower = new LedgerFollower(stack.Ledger, ui, (wait, token) => Task.Delay(wait, token), TimeProvider.System) { PollInterval = PollInterval };
        var record = await follower.FindReclaimedAsync(before!, ClaimTimeout, interrupt).ConfigureAwait(false);
        if (record is null)
        {
            ui.Error(null, $"Build {buildId} was not claimed again within {Durations.Format(ClaimTimeout)}: Prepare refused the resume or has not run. " +
                $"See why with: aws stepfunctions describe-execution --execution-arn {execution}");
            return 1;
        }

        var builders = definition.Builds.Select(b => b.Builder.Name).ToList();
        var target = builders.Count == 1 ? builders[0] : null;
        ui.Say(null, $"Build {buildId} resumed on stack {stack.Name} (follow it elsewhere: bakery status {buildId} --stack {stack.Name})");
        try
        {
            var final = await follower.FollowAsync(record, target, interrupt).ConfigureAwait(false);
            var elapsed = (final.FinishedAt ?? final.UpdatedAt) - record.UpdatedAt;
            return LedgerFollower.Report(ui, final, target, builders, elapsed < TimeSpan.Zero ? TimeSpan.Zero : elapsed);
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            ui.Error(null, $"Stopped following build {buildId}; it keeps running on stack {stack.Name}. See it with: bakery status {buildId} --stack {stack.Name}");
            return 1;
        }
    }

    /// <summary>Every kept image must still be there (Prepare's own check, <see cref="ResumeSeeds.EnsureImagesThere"/>), asked of EC2 with the caller's credentials.</summary>
    private static async Task EnsureImagesThereAsync(string buildId, ResumeHold hold, CancellationToken cancellationToken)
    {
        using var clients = new AwsClients();
        var aws = new SdkAwsServices(clients);
        foreach (var point in hold.Builders)
        {
            var described = new List<ImageDescription?>();
            foreach (var image in point.Images)
            {
                try
                {
                    described.Add(await aws.Images(image.Region).DescribeAsync(image.ImageId, cancellationToken).ConfigureAwait(false));
                }
                catch (Exception error) when (AwsErrors.HasCode(error, GoneCodes))
                {
                    described.Add(null);
                }
            }

            ResumeSeeds.EnsureImagesThere(buildId, point, described);
        }
    }

    private static string Describe(ResumeBuilder builder) => builder.From == ResumeInfo.Done
        ? $"{builder.Builder} finished ({string.Join(", ", builder.Images.Select(image => image.ImageId))})"
        : builder.From == ResumeInfo.FromTestImage
            ? $"{builder.Builder} tests its image {builder.Images[0].ImageId} again, then continues"
            : $"{builder.Builder} continues after its image {builder.Images[0].ImageId}";
}
