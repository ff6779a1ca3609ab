namespace Bakery.Core.Steps;

/// <summary>
/// The workflow's vocabulary: each name is a Lambda handler (<c>_HANDLER</c>), the Task state that runs it in
/// statemachine/bake.asl.json (<c>${NameFunctionArn}</c>), the step recorded in the ledger and timings, and what the
/// CLI's progress keys on. A static test checks the definition against <see cref="Workflow"/>.
/// </summary>
public static class StepNames
{
    public const string Prepare = nameof(Prepare);
    public const string Launch = nameof(Launch);
    public const string WaitForInstance = nameof(WaitForInstance);
    public const string Provision = nameof(Provision);
    public const string ErrorCleanup = nameof(ErrorCleanup);
    public const string StopInstance = nameof(StopInstance);
    public const string CreateImage = nameof(CreateImage);
    public const string TestImage = nameof(TestImage);
    public const string TagImage = nameof(TagImage);
    public const string CopyImage = nameof(CopyImage);
    public const string ShareImage = nameof(ShareImage);
    public const string PublishParameter = nameof(PublishParameter);
    public const string Teardown = nameof(Teardown);
    public const string Publish = nameof(Publish);
    public const string Lifecycle = nameof(Lifecycle);

    /// <summary>Not a workflow step: the scheduled sweep of what failed builds left behind, served by the same bootstrap.</summary>
    public const string Janitor = nameof(Janitor);

    /// <summary>The steps that are Task states of the workflow, in workflow order.</summary>
    public static IReadOnlyList<string> Workflow { get; } =
    [
        Prepare, Launch, WaitForInstance, Provision, ErrorCleanup, StopInstance, CreateImage, TestImage,
        TagImage, CopyImage, ShareImage, PublishParameter, Teardown, Publish, Lifecycle,
    ];

    /// <summary>Every Lambda handler of the bootstrap: the workflow's steps, then the janitor.</summary>
    public static IReadOnlyList<string> Handlers { get; } = [.. Workflow, Janitor];
}
