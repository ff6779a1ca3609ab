using Bakery.BuildFiles;

namespace Bakery.Cli.Build;

/// <summary>
/// The local disk as the engine sees it, noting every file and folder the build file turned out to reference, so the
/// upload carries exactly those (whatever the provisioner or option that named them).
/// </summary>
internal sealed class RecordingBundleFiles(LocalBundleFiles inner) : IBundleFiles
{
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);

    /// <summary>Absolute paths of the referenced files and folders.</summary>
    public IReadOnlyCollection<string> Referenced => _referenced;

    public string GetBuildFileFolder(string buildFilePath) => inner.GetBuildFileFolder(buildFilePath);

    public string? ResolveRelative(string buildFileFolder, string pathAsWritten) => inner.ResolveRelative(buildFileFolder, pathAsWritten);

    public string Describe(string bundlePath) => inner.Describe(bundlePath);

    public IReadOnlyList<BundleLinkProblem> FindLinkProblems(string bundlePath, string allowedRoot) => inner.FindLinkProblems(bundlePath, allowedRoot);

    public string? ReadText(string bundlePath)
    {
        var text = inner.ReadText(bundlePath);
        if (text is not null)
        {
            _referenced.Add(inner.GetFullPath(bundlePath));
        }

        return text;
    }

    /// <summary>Every listed file is noted: a <c>fileset</c> evaluated in Prepare must see the files it saw here.</summary>
    public IReadOnlyList<string> ListFiles(string bundleFolder)
    {
        var files = inner.ListFiles(bundleFolder);
        foreach (var file in files)
        {
            _referenced.Add(inner.GetFullPath(file));
        }

        return files;
    }

    public BundleEntryKind GetKind(string bundlePath)
    {
        var kind = inner.GetKind(bundlePath);
        if (kind != BundleEntryKind.Missing)
        {
            _referenced.Add(inner.GetFullPath(bundlePath));
        }

        return kind;
    }
}
