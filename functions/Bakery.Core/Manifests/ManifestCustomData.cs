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
    /// <summary>The key Bakery adds to a tested build's custom_data (settings <c>test_image</c>): the test's one-line summary.</summary>
    public const string TestKey = "bakery_test";

    public static ManifestPostProcessor RenderedFor(ManifestPostProcessor settings, BakeState build)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(build);
        var rendered = settings.CustomData.Count == 0
            ? settings
            : settings with
            {
                CustomData = settings.CustomData.ToDictionary(pair => pair.Key, pair => BuildTimeData.Render(pair.Value, build), StringComparer.Ordinal),
            };
        if (build.Test is not { Passed: { } passed } test)
        {
            return rendered;
        }

        // Only builds with Bakery's test_image (which Packer has no word for) get the key, so every other manifest stays Packer's.
        var data = new Dictionary<string, string>(rendered.CustomData, StringComparer.Ordinal)
        {
            [TestKey] = $"{(passed ? "passed" : "failed")}: {test.Summary}",
        };
        return rendered with { CustomData = data };
    }
}
