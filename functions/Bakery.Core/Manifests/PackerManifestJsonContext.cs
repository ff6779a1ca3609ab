using System.Text.Json.Serialization;

namespace Bakery.Core.Manifests;

/// <summary>
/// The manifest is a file format of its own (snake_case, indented like Packer's <c>json.MarshalIndent</c>, explicit
/// nulls), so it has its own source-generated context rather than the camelCase one of the bake state.
/// </summary>
[JsonSourceGenerationOptions(WriteIndented = true, IndentSize = 2)]
[JsonSerializable(typeof(PackerManifest))]
internal sealed partial class PackerManifestJsonContext : JsonSerializerContext;
