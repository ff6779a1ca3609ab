using System.Text.Json.Serialization;

namespace Bakery.Core.Manifests;

/// <summary>
/// One entry of a Packer manifest. As in Packer: <c>build_time</c> is left out when zero (<c>strip_time</c>),
/// <c>files</c> is <c>null</c> for an AMI (it has no files), <c>custom_data</c> is <c>null</c> when there is none, and
/// <c>artifact_id</c> is <c>region:ami-id</c> pairs sorted and joined with commas.
/// </summary>
public sealed record PackerManifestBuild
{
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string Name { get; init; } = string.Empty;

    [JsonPropertyName("builder_type")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string BuilderType { get; init; } = string.Empty;

    [JsonPropertyName("build_time")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long BuildTime { get; init; }

    [JsonPropertyName("files")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyList<PackerManifestFile>? Files { get; init; }

    [JsonPropertyName("artifact_id")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string ArtifactId { get; init; } = string.Empty;

    [JsonPropertyName("packer_run_uuid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string PackerRunUuid { get; init; } = string.Empty;

    [JsonPropertyName("custom_data")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public IReadOnlyDictionary<string, string>? CustomData { get; init; }
}
