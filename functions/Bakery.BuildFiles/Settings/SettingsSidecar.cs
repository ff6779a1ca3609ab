namespace Bakery.BuildFiles.Settings;

/// <summary>
/// The two spellings of a build file's settings sidecar, <c>NAME.bakery.json</c> and <c>NAME.bakery.hcl</c> (one schema),
/// and which reader a sidecar needs. A build file has at most one: with both, which one wins would be a guess.
/// </summary>
public static class SettingsSidecar
{
    /// <summary>The sidecar paths (or S3 keys) a build file may have, JSON first.</summary>
    public static IReadOnlyList<string> PathsOf(string buildFilePath)
    {
        ArgumentNullException.ThrowIfNull(buildFilePath);
        var stem = BuildFileLoader.Stem(buildFilePath);
        return [stem + BakerySettingsLoader.SidecarSuffix, stem + HclSettingsLoader.SidecarSuffix];
    }

    /// <summary>Whether <paramref name="path"/> is a settings sidecar (either spelling) rather than a build file.</summary>
    public static bool IsSidecar(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return SuffixOf(path) is not null;
    }

    /// <summary>The sidecar suffix <paramref name="path"/> ends with, or null.</summary>
    public static string? SuffixOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(BakerySettingsLoader.SidecarSuffix, StringComparison.OrdinalIgnoreCase) ? BakerySettingsLoader.SidecarSuffix
            : path.EndsWith(HclSettingsLoader.SidecarSuffix, StringComparison.OrdinalIgnoreCase) ? HclSettingsLoader.SidecarSuffix
            : null;
    }

    /// <summary>Reads a sidecar with the reader its name asks for (<c>.bakery.hcl</c>: HCL, else JSON).</summary>
    public static BakerySettingsResult Load(string path, ReadOnlyMemory<byte> content, SettingsFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(HclSettingsLoader.SidecarSuffix, StringComparison.OrdinalIgnoreCase)
            ? HclSettingsLoader.Load(path, content, files)
            : BakerySettingsLoader.Load(path, content, files);
    }

    /// <summary>The refusal when a build file has both sidecars.</summary>
    public static string BothMessage(string jsonPath, string hclPath) =>
        $"{jsonPath} and {hclPath} are both Bakery's settings for one build file: keep one (the same schema in JSON or HCL)";
}
