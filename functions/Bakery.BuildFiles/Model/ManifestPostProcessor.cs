namespace Bakery.BuildFiles.Model;

/// <summary>Packer's <c>manifest</c> post-processor. <see cref="Output"/> is relative to the build file's folder.</summary>
public sealed record ManifestPostProcessor
{
    public string Output { get; set; } = "packer-manifest.json";
    public bool StripPath { get; init; }
    public bool StripTime { get; init; }
    public IReadOnlyDictionary<string, string> CustomData { get; set; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Only { get; set; } = [];
    public IReadOnlyList<string> Except { get; set; } = [];
}
