namespace Bakery.Core.Bake;

/// <summary>
/// Where a builder's Map iteration starts when its build is resumed (the workflow's <c>Resume?</c> Choice reads
/// <c>$.resume.from</c>), and, on a failed builder, that Teardown kept its image so the build can be resumed.
/// </summary>
public sealed record ResumeInfo
{
    /// <summary>The builder's image exists: continue with TagImage (tag, copy, share, publish the parameter).</summary>
    public const string FromTagImage = "TagImage";

    /// <summary>The builder finished in the failed build: its result is carried over and nothing of it runs again.</summary>
    public const string Done = "Done";

    /// <summary><see cref="FromTagImage"/> or <see cref="Done"/>.</summary>
    public required string From { get; init; }
}
