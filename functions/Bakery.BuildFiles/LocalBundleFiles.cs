namespace Bakery.BuildFiles;

/// <summary>
/// The local disk as a bundle. The root defaults to the file system root, so <c>{{template_dir}}/../shared/x.sh</c> and
/// other paths outside the build file's folder work as they do with Packer. Bundle paths are relative to <see cref="Root"/>.
/// </summary>
public sealed class LocalBundleFiles : IBundleFiles
{
    public LocalBundleFiles(string? root = null)
    {
        Root = System.IO.Path.GetFullPath(root ?? System.IO.Path.GetPathRoot(Environment.CurrentDirectory) ?? "/");
    }

    /// <summary>The absolute folder every bundle path is relative to.</summary>
    public string Root { get; }

    /// <summary>The absolute folder of the build file: what <c>{{template_dir}}</c> renders to, as in Packer.</summary>
    public string GetBuildFileFolder(string buildFilePath) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(buildFilePath)) ?? Root;

    public string? ResolveRelative(string buildFileFolder, string pathAsWritten)
    {
        ArgumentNullException.ThrowIfNull(pathAsWritten);
        var absolute = System.IO.Path.GetFullPath(pathAsWritten, System.IO.Path.GetFullPath(buildFileFolder));
        var relative = System.IO.Path.GetRelativePath(Root, absolute);
        if (relative == "..")
        {
            return null;
        }

        if (relative.StartsWith("../", StringComparison.Ordinal) || relative.StartsWith("..\\", StringComparison.Ordinal)
            || System.IO.Path.IsPathRooted(relative))
        {
            return null;
        }

        return relative == "." ? "" : relative.Replace('\\', '/');
    }

    public string Describe(string bundlePath) => GetFullPath(bundlePath);

    public string? ReadText(string bundlePath)
    {
        var full = GetFullPath(bundlePath);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public IReadOnlyList<string> ListFiles(string bundleFolder)
    {
        var full = GetFullPath(bundleFolder);
        if (!Directory.Exists(full))
        {
            return [];
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        return [.. Directory.EnumerateFiles(full, "*", options).Select(f => System.IO.Path.GetRelativePath(Root, f).Replace('\\', '/'))];
    }

    public BundleEntryKind GetKind(string bundlePath)
    {
        var full = GetFullPath(bundlePath);
        if (File.Exists(full))
        {
            return BundleEntryKind.File;
        }

        return Directory.Exists(full) ? BundleEntryKind.Directory : BundleEntryKind.Missing;
    }

    public IReadOnlyList<BundleLinkProblem> FindLinkProblems(string bundlePath, string allowedRoot) =>
    [
        .. Internal.LocalLinks.FindProblems(GetFullPath(bundlePath), GetFullPath(allowedRoot))
            .Select(p => new BundleLinkProblem(System.IO.Path.GetRelativePath(Root, p.Link).Replace('\\', '/'), p.Target, p.Kind)),
    ];

    /// <summary>
    /// Every file under the local folder <paramref name="folder"/>, as the build uploads it: a link that stays inside
    /// (see <see cref="FindLinkProblems"/>) under its own name with its target's content.
    /// </summary>
    public static IEnumerable<string> EnumerateFiles(string folder) => Internal.LocalLinks.EnumerateFiles(folder);

    /// <summary>The absolute local path of a bundle path (for callers that read the files).</summary>
    public string GetFullPath(string bundlePath) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, bundlePath));
}
