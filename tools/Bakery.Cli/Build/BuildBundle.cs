using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Settings;

namespace Bakery.Cli.Build;

/// <summary>
/// What <c>bakery build</c> uploads: the build file and every file it references, under <c>builds/&lt;name&gt;/</c>,
/// laid out relative to the bundle root (the deepest folder holding the build file and every referenced file, so
/// <c>../shared/x.sh</c> keeps its place). The variables (<c>-var-file</c>s, then <c>-var</c>s) travel as the
/// sibling <c>&lt;stem&gt;.vars.json</c> the Prepare step reads, and Bakery's settings as <c>&lt;stem&gt;.bakery.json</c>. The build
/// file comes last: its upload is the trigger.
/// </summary>
internal sealed record BuildBundle
{
    public required string Root { get; init; }
    public required string Prefix { get; init; }
    public required string BuildFileKey { get; init; }
    /// <summary>In upload order; the build file is the last one.</summary>
    public required IReadOnlyList<BundleFile> Files { get; init; }

    public static string VarFileKey(string buildFileKey) =>
        BuildFileLoader.Stem(buildFileKey) + ".vars.json";

    public static BuildBundle Create(string buildFilePath, IEnumerable<string> referenced, BuildFileInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var buildFile = Path.GetFullPath(buildFilePath);
        var paths = referenced.Select(Path.GetFullPath).Where(p => p != buildFile).Distinct(StringComparer.Ordinal).ToList();
        // Links inside a folder are uploaded as their targets' content under their own names; validation has refused
        // any that lead outside the bundle (LocalBundleFiles.FindLinkProblems).
        var files = paths.SelectMany(p => Directory.Exists(p) ? LocalBundleFiles.EnumerateFiles(p) : [p])
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var root = CommonFolder([Path.GetDirectoryName(buildFile)!, .. paths.Select(p => Directory.Exists(p) ? p : Path.GetDirectoryName(p)!)]);
        var prefix = $"builds/{Stem(buildFile)}/";
        string KeyOf(string path) => prefix + Path.GetRelativePath(root, path).Replace('\\', '/');

        var buildFileKey = KeyOf(buildFile);
        var bundle = files.Select(f => new BundleFile(KeyOf(f), f)).ToList();
        if (VarFileContent(input) is { } vars)
        {
            bundle.RemoveAll(f => f.Key == VarFileKey(buildFileKey));
            bundle.Add(new BundleFile(VarFileKey(buildFileKey), null, vars));
        }

        // Bakery's own settings travel beside the build file, where Prepare reads them.
        if (LocalSettings.PathFor(buildFile) is { } sidecar)
        {
            var sidecarKey = BuildFileLoader.Stem(buildFileKey) + SettingsSidecar.SuffixOf(sidecar);
            bundle.RemoveAll(f => f.Key == sidecarKey);
            bundle.Add(new BundleFile(sidecarKey, sidecar));
        }

        bundle.Add(new BundleFile(buildFileKey, buildFile));
        return new BuildBundle { Root = root, Prefix = prefix, BuildFileKey = buildFileKey, Files = bundle };
    }

    /// <summary>The merged variables as one Packer var file (later files win, <c>-var</c> wins over files); null when there are none.</summary>
    internal static byte[]? VarFileContent(BuildFileInput input)
    {
        var merged = new JsonObject();
        foreach (var file in input.VarFiles)
        {
            if ((file.Path.EndsWith(".hcl", StringComparison.OrdinalIgnoreCase) ? PkrVars.ToJson(file) : JsonNode.Parse(file.Content.Span)) is JsonObject values)
            {
                foreach (var (name, value) in values)
                {
                    merged[name] = value?.DeepClone();
                }
            }
        }

        foreach (var (name, value) in input.Vars)
        {
            merged[name] = value;
        }

        return merged.Count == 0 ? null : Encoding.UTF8.GetBytes(merged.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The deepest local folder holding all of <paramref name="folders"/> (absolute paths on one root).</summary>
    internal static string CommonFolder(IReadOnlyList<string> folders)
    {
        // The same rule validation applies to bundle paths (LinkCheck), so both agree on what the upload covers.
        var root = Path.GetPathRoot(folders[0])!;
        var common = BundlePath.CommonFolder([.. folders.Select(folder => folder[Path.GetPathRoot(folder)!.Length..])]);
        return Path.Join(root, common.Replace('/', Path.DirectorySeparatorChar));
    }

    private static string Stem(string buildFile)
    {
        var name = BuildFileLoader.Stem(Path.GetFileName(buildFile));
        var stem = new string([.. name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);
        return stem.Length == 0 ? "build" : stem;
    }
}
