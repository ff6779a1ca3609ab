using Bakery.BuildFiles.Model;
using Bakery.Core.Bake;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Manifests;

/// <summary>
/// A manifest post-processor's <c>custom_data</c> with the build-time data it names (<c>{{ build `SourceAMIName` }}</c>,
/// <c>{{ .BuildRegion }}</c>) rendered for one finished build, as Packer renders it when the build's entry is written.
/// Shared by the Publish step (S3) and the CLI (a local file).
/// </summary>
public static class ManifestCustomData
{
    public static ManifestPostProcessor RenderedFor(ManifestPostProcessor settings, BakeState build)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(build);
        return settings.CustomData.Count == 0
            ? settings
            : settings with
            {
                CustomData = settings.CustomData.ToDictionary(pair => pair.Key, pair => BuildTimeData.Render(pair.Value, build), StringComparer.Ordinal),
            };
    }
}
