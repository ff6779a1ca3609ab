namespace Bakery.Core.Bake;

/// <summary>
/// Where a builder's Map iteration starts when its build is resumed (the workflow's <c>Resume?</c> Choice reads
/// <c>$.resume.from</c>), and, on a failed builder, that Teardown kept its image so the build can be resumed.
/// </summary>
public sealed record ResumeInfo
{
    /// <summary>The builder's image exists: continue with TagImage (tag, copy, share, publish the parameter).</summary>
    public const string FromTagImage = "TagImage";

    /// <summary>
    /// The builder's image exists but its test (settings <c>test_image</c>) gave no verdict: the test instance could not
    /// run the tests (launch, capacity, SSM, a timeout). Continue by testing the image again, never by skipping the test.
    /// </summary>
    public const string FromTestImage = "TestImage";

    /// <summary>The builder finished in the failed build: its result is carried over and nothing of it runs again.</summary>
    public const string Done = "Done";

    /// <summary><see cref="FromTestImage"/>, <see cref="FromTagImage"/> or <see cref="Done"/>.</summary>
    public required string From { get; init; }
}
