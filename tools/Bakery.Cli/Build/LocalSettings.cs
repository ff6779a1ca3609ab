using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;

namespace Bakery.Cli.Build;

/// <summary>The sidecar <c>NAME.bakery.json</c> beside a local build file: checked by validate and build, shown by inspect, uploaded with the build.</summary>
internal static class LocalSettings
{
    /// <summary>The sidecar's path when the build file has one, else null.</summary>
    public static string? PathFor(string buildFilePath) =>
        File.Exists(buildFilePath) && BakerySettingsLoader.SidecarPathOf(buildFilePath) is var sidecar && File.Exists(sidecar) ? sidecar : null;

    /// <summary>
    /// The sidecar read and checked, or null when the build file has none. test_image's scripts are looked up beside the
    /// build file in <paramref name="files"/> (a recording bundle, so <c>bakery build</c> uploads them with the build).
    /// </summary>
    public static BakerySettingsResult? Load(string buildFilePath, IBundleFiles? files = null) =>
        PathFor(buildFilePath) is { } sidecar
            ? BakerySettingsLoader.Load(sidecar, File.ReadAllBytes(sidecar), new SettingsFiles(files ?? new LocalBundleFiles(), buildFilePath))
            : null;
}
