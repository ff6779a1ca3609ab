using System.Text.Json;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// The real values behind a masked plan. The state (which Step Functions keeps in its history) holds the plan with
/// every sensitive value masked; Prepare keeps the plan rendered with the real values in the staging area
/// (<see cref="PrepareStep.RenderedPlanKey"/>), and each step that acts on AWS with a value reads it from there, for
/// the length of one invocation. What the step writes back to the state or into a message goes through the redactor.
/// </summary>
internal static class RealPlans
{
    /// <summary>
    /// The plan with its real values and a redactor for them: the state's own plan and no redactor when nothing in it
    /// is masked, or when Prepare kept no rendered plan (then nothing was masked and the mask text is the user's own).
    /// </summary>
    public static async Task<(BuildPlan Plan, Redactor Redactor)> LoadAsync(
        IAwsServices aws, AwsRetry retry, BakeState state, string step, CancellationToken cancellationToken)
    {
        var plan = state.RequireBuild(step);
        if (state.StagingPrefix is not { } prefix || state.Source?.Bucket is not { } bucket || !PlanRedaction.ContainsMask(plan))
        {
            return (plan, Redactor.None);
        }

        var key = PrepareStep.RenderedPlanKey(prefix, plan.Builder.Name);
        var stored = await retry.RunAsync("GetObject", token => aws.Objects.GetAsync(bucket, key, token), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return (plan, Redactor.None);
        }

        BuildPlan? real;
        try
        {
            real = JsonSerializer.Deserialize(stored.Content.Span, PlanRedaction.PlanTypeInfo);
        }
        catch (JsonException error)
        {
            // The message would quote the file, which holds the secrets.
            throw new BuildInputInvalid($"{step}: the rendered plan s3://{bucket}/{key} is not a plan (line {error.LineNumber}).");
        }

        if (real is null || real.Provisioners.Count != plan.Provisioners.Count || real.Builder.Name != plan.Builder.Name)
        {
            throw new BuildInputInvalid($"{step}: the rendered plan s3://{bucket}/{key} does not match the build's plan.");
        }

        return (real, PlanRedaction.RecoverSecrets(plan, real));
    }

    /// <summary>
    /// The builder a step acts with: every value real (the AMI name, user_data, ids and settings decide what AWS
    /// does, and a mask there makes the call fail or the instance run the wrong thing), except the labels Bakery
    /// promises to mask where it stores them: tags, run_tags, run_volume_tags, snapshot_tags, spot_tags and ami_description.
    /// </summary>
    public static async Task<(AmazonEbsBuilder Builder, Redactor Redactor)> ActingBuilderAsync(
        IAwsServices aws, AwsRetry retry, BakeState state, string step, CancellationToken cancellationToken)
    {
        var shown = state.RequireBuild(step).Builder;
        var (real, redactor) = await LoadAsync(aws, retry, state, step, cancellationToken).ConfigureAwait(false);
        return (real.Builder with
        {
            Tags = shown.Tags,
            RunTags = shown.RunTags,
            RunVolumeTags = shown.RunVolumeTags,
            SnapshotTags = shown.SnapshotTags,
            SpotTags = shown.SpotTags,
            AmiDescription = shown.AmiDescription,
        }, redactor);
    }
}
