namespace Bakery.BuildFiles.Model;

/// <summary>
/// One build of a build file: one builder with the provisioners and post-processors that apply to it
/// (<c>only</c>/<c>except</c> already applied). The workflow's Map runs one bake per plan.
/// </summary>
public sealed record BuildPlan
{
    public required AmazonEbsBuilder Builder { get; init; }
    public IReadOnlyList<Provisioner> Provisioners { get; set; } = [];
    public IReadOnlyList<ManifestPostProcessor> PostProcessors { get; set; } = [];

    /// <summary>
    /// Packer's <c>error-cleanup-provisioner</c> for this build (its <c>only</c>/<c>except</c> applied): the workflow's
    /// ErrorCleanup step runs it on the instance when Provision failed, before Teardown terminates it.
    /// </summary>
    public Provisioner? ErrorCleanupProvisioner { get; set; }

    /// <summary>
    /// The sensitive values when a provisioner's inline text (staged in S3, only its key left in the plan) holds one:
    /// masked in the state's plan, real in the rendered plan, so the steps that run that text read the rendered plan
    /// and mask the values in its output as for any other masked value. Null when no staged text holds one.
    /// </summary>
    public IReadOnlyList<string>? StagedTextSecrets { get; init; }

    /// <summary>Every provisioner that may run on the instance: <see cref="Provisioners"/>, then the error-cleanup one.</summary>
    public IEnumerable<Provisioner> ProvisionersWithErrorCleanup() =>
        ErrorCleanupProvisioner is { } cleanup ? [.. Provisioners, cleanup] : Provisioners;
}
