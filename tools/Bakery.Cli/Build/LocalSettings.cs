using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;

namespace Bakery.Cli.Build;

/// <summary>
/// The sidecar beside a local build file, <c>NAME.bakery.json</c> or <c>NAME.bakery.hcl</c>: checked by validate and build,
/// shown by inspect, uploaded with the build.
/// </summary>
internal static class LocalSettings
{
    /// <summary>The sidecar's path when the build file has one (the JSON one when both exist, which Load refuses), else null.</summary>
    public static string? PathFor(string buildFilePath) =>
        File.Exists(buildFilePath) ? SettingsSidecar.PathsOf(buildFilePath).FirstOrDefault(File.Exists) : null;

    /// <summary>
    /// The sidecar read and checked, or null when the build file has none. test_image's scripts are looked up beside the
    /// build file in <paramref name="files"/> (a recording bundle, so <c>bakery build</c> uploads them with the build).
    /// </summary>
    public static BakerySettingsResult? Load(string buildFilePath, IBundleFiles? files = null)
    {
        if (!File.Exists(buildFilePath))
        {
            return null;
        }

        var found = SettingsSidecar.PathsOf(buildFilePath).Where(File.Exists).ToList();
        return found switch
        {
            [] => null,
            [var sidecar] => SettingsSidecar.Load(sidecar, File.ReadAllBytes(sidecar), new SettingsFiles(files ?? new LocalBundleFiles(), buildFilePath)),
            _ => new BakerySettingsResult { Errors = [new Diagnostic(found[1], 0, 0, "", SettingsSidecar.BothMessage(found[0], found[1]), null)] },
        };
    }
}
