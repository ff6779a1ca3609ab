namespace Bakery.Core.Manifests;

/// <summary>
/// What one finished build contributes to a manifest: its name and type, when it finished, its AMIs by region
/// (the image and its copies) and any file artifacts (none for amazon-ebs).
/// </summary>
public sealed record ManifestArtifact
{
    public required string BuildName { get; init; }
    public string BuilderType { get; init; } = "amazon-ebs";
    public required DateTimeOffset FinishedAt { get; init; }
    /// <summary>Region → AMI id.</summary>
    public required IReadOnlyDictionary<string, string> Amis { get; init; }
    public IReadOnlyList<PackerManifestFile>? Files { get; init; }
}
