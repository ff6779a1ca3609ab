using System.Text.Json.Serialization;

namespace Bakery.Core.Manifests;

/// <summary>A file artifact in a Packer manifest (AMI builds have none; kept for the format's sake).</summary>
public sealed record PackerManifestFile
{
    [JsonPropertyName("name")]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("size")]
    public long Size { get; init; }
}
