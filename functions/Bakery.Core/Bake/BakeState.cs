using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Settings;

namespace Bakery.Core.Bake;

/// <summary>
/// The one typed state passed from step to step (camelCase JSON through <see cref="BakeryJsonContext"/>).
/// Prepare makes one per build in <see cref="Builds"/>; the workflow's Map runs each, and Publish reads
/// the Map's <see cref="Results"/>. Must stay far below Step Functions' 256 KiB payload limit:
/// command output is kept as a tail, files travel through S3.
/// </summary>
public sealed record BakeState
{
    /// <summary>Stable id of this build (ledger key, ClientToken seed, <c>bakery:build-id</c> tag).</summary>
    public required string BuildId { get; init; }
    /// <summary>Set when the execution has nothing to do (duplicate trigger, not a build file): the workflow ends succeeded.</summary>
    public SkipInfo? Skip { get; init; }
    /// <summary>Where the build file and its bundle live in S3.</summary>
    public BuildSource? Source { get; init; }
    /// <summary>S3 prefix (in <see cref="BuildSource.Bucket"/>) where files for the instance are staged.</summary>
    public string? StagingPrefix { get; init; }
    /// <summary>The resolved build (one plan when inside the Map).</summary>
    public BuildPlan? Build { get; init; }
    /// <summary>Set by Prepare: one state per selected builder, the Map's items.</summary>
    public IReadOnlyList<BakeState>? Builds { get; init; }
    /// <summary>Set by the Map: the finished per-build states, read by Publish.</summary>
    public IReadOnlyList<BakeState>? Results { get; init; }
    public string? SourceImageId { get; init; }
    public string? SourceImageName { get; init; }
    /// <summary>Bakery's own settings for this build (sidecar <c>NAME.bakery.json</c>, console input); null when none are set.</summary>
    public BakerySettings? Settings { get; init; }
    /// <summary>The SSM parameters PublishParameter wrote (one per region the AMI landed in).</summary>
    public IReadOnlyList<PublishedParameter> Parameters { get; set; } = [];
    /// <summary>What the Lifecycle step did (or would do, on a dry run) to the new AMIs and their families, after Publish.</summary>
    public IReadOnlyList<Bakery.Core.Lifecycle.LifecycleOutcome> LifecycleReport { get; set; } = [];
    public InstanceInfo? Instance { get; init; }
    /// <summary>Every RunInstances Launch made, in order, with EC2's refusal for each that did not launch (capacity fallback).</summary>
    public IReadOnlyList<LaunchAttempt> LaunchAttempts { get; set; } = [];
    public ProvisioningInfo? Provisioning { get; init; }
    /// <summary>The error-cleanup provisioner's run after Provision failed (ErrorCleanup step).</summary>
    public ErrorCleanupInfo? ErrorCleanup { get; init; }
    public ImageInfo? Image { get; init; }
    /// <summary>The test of the new AMI (settings <c>test_image</c>): its instance, progress and verdict.</summary>
    public ImageTestInfo? Test { get; init; }
    public IReadOnlyList<ImageInfo> Copies { get; set; } = [];
    /// <summary>Everything this build created, so Teardown (and the janitor) can remove it.</summary>
    public CreatedResources Created { get; set; } = new();
    /// <summary>What Teardown removed (moved out of <see cref="Created"/> as each thing is confirmed gone).</summary>
    public CreatedResources? Removed { get; init; }
    /// <summary>Files provisioners brought back (<c>direction: download</c>), staged in S3 for the CLI to fetch.</summary>
    public IReadOnlyList<DownloadInfo> Downloads { get; set; } = [];
    /// <summary>Start and end of each step, for the timeline and the manifest's build_time.</summary>
    public IReadOnlyList<StepTiming> Timings { get; set; } = [];
    /// <summary>The step's hint to the workflow: done, or check again in <see cref="WaitHint.Seconds"/>.</summary>
    public WaitHint? Wait { get; init; }
    /// <summary>
    /// Set by Prepare on a resumed build: where this builder's iteration starts (the workflow's <c>Resume?</c> Choice).
    /// Set by Teardown on a failed builder whose image it kept for a resume.
    /// </summary>
    public ResumeInfo? Resume { get; init; }
    /// <summary>Filled by the workflow's Catch (<c>ResultPath: $.error</c>) before Teardown.</summary>
    public ErrorInfo? Error { get; init; }
    /// <summary>Unix seconds after which the build is considered dead (janitor, overall timeout).</summary>
    public long DeadlineEpochSeconds { get; init; }
    /// <summary>This build's share of the execution's history events and what its wait loops spent (null: not counted).</summary>
    public HistoryBudget? History { get; init; }
}
