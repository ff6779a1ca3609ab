namespace Bakery.BuildFiles.Settings;

/// <summary>The values of <c>test_image.on_failure</c>.</summary>
public static class TestFailureActions
{
    /// <summary>Deregister the image and delete its snapshots, as for any failed build.</summary>
    public const string Deregister = "deregister";

    /// <summary>Keep the image (and its snapshots), tagged <c>bakery:tested=false</c>, for a look at what failed.</summary>
    public const string Tag = "tag";

    public static IReadOnlyList<string> All { get; } = [Deregister, Tag];
}
