using Bakery.BuildFiles;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>A bundle held in memory, shaped like the S3 one: bundle-root-relative keys, '/' separators, folders implied by keys.</summary>
internal sealed class InMemoryBundleFiles(params string[] files) : IBundleFiles
{
    private readonly HashSet<string> _files = new(files, StringComparer.Ordinal);

    public string GetBuildFileFolder(string buildFilePath) => "/" + BundlePath.GetFolder(buildFilePath);

    public string? ResolveRelative(string buildFileFolder, string pathAsWritten) =>
        BundlePath.Combine(buildFileFolder.TrimStart('/'), pathAsWritten);

    public BundleEntryKind GetKind(string bundlePath) =>
        _files.Contains(bundlePath) ? BundleEntryKind.File
        : _files.Any(f => f.StartsWith(bundlePath + "/", StringComparison.Ordinal)) ? BundleEntryKind.Directory
        : BundleEntryKind.Missing;
}
