namespace Bakery.Core.Lifecycle;

/// <summary>One line of the Lifecycle step's report: an image in a region, what happened to it, and why.</summary>
public sealed record LifecycleOutcome(string Region, string ImageId, LifecycleOutcomeKind Kind)
{
    /// <summary>The family the image belongs to (its <c>bakery:family</c> tag).</summary>
    public string? Family { get; init; }

    public string? ImageName { get; init; }

    /// <summary>The reason or the detail: who uses the image, the deprecation time, AWS's error.</summary>
    public string? Detail { get; init; }

    /// <summary>The report line as the CLI prints it.</summary>
    public override string ToString() =>
        $"{Region} {ImageId}{(ImageName is { Length: > 0 } name ? $" ({name})" : "")}: {Kind}{(Detail is { Length: > 0 } detail ? $": {detail}" : "")}";
}
