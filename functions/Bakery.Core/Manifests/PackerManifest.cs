using System.Text.Json.Serialization;

namespace Bakery.Core.Manifests;

/// <summary>
/// The file Packer's <c>manifest</c> post-processor writes: every build so far (appended run after run) and the
/// uuid of the last run. Field names and order are Packer's.
/// </summary>
public sealed record PackerManifest
{
    [JsonPropertyName("builds")]
    public IReadOnlyList<PackerManifestBuild> Builds { get; init; } = [];

    [JsonPropertyName("last_run_uuid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string LastRunUuid { get; init; } = string.Empty;
}
