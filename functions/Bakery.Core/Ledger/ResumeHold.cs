namespace Bakery.Core.Ledger;

/// <summary>
/// What a failed build kept so that it can be resumed (ledger attributes <c>resume</c> and <c>resumeUntil</c>,
/// docs/ledger.md): each builder's resume point, and until when its images are held. The janitor keeps the images
/// listed here until then and removes them after; a resume after then is refused.
/// </summary>
public sealed record ResumeHold
{
    /// <summary>Unix seconds until which the images are kept.</summary>
    public required long UntilEpochSeconds { get; init; }
    public IReadOnlyList<ResumeBuilder> Builders { get; init; } = [];

    public DateTimeOffset Until => DateTimeOffset.FromUnixTimeSeconds(UntilEpochSeconds);

    /// <summary>True while <paramref name="imageId"/> in <paramref name="region"/> is one of the held images, at <paramref name="now"/>.</summary>
    public bool Holds(string region, string imageId, DateTimeOffset now) =>
        now.ToUnixTimeSeconds() < UntilEpochSeconds
        && Builders.Any(builder => builder.Images.Any(image => image.Region == region && image.ImageId == imageId));
}
