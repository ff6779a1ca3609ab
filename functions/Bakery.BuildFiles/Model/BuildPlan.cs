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
}
