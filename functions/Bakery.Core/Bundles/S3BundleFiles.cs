using Bakery.BuildFiles;

namespace Bakery.Core.Bundles;

/// <summary>
/// A build's bundle in S3: every key under <see cref="Prefix"/>, listed once up front (the engine asks synchronously).
/// Bundle paths are keys relative to the prefix; a path that climbs above it is refused (null), which is how a build
/// file is kept from reading anything outside its own folder. Variable files (<c>*.vars.json</c>) are never part of a
/// bundle: they hold other builds' values (a folder may hold several builds, or another build's sub-folder), and a
/// build's own variable file is read by Prepare as variables, not as a file. Remembers which paths it was asked about
/// and did not have, so Prepare can wait briefly for files still being uploaded, and which files HCL2's <c>file()</c> /
/// <c>templatefile()</c> wanted to read but it did not hold yet, so Prepare can download them and load again.
/// </summary>
public sealed class S3BundleFiles : IBundleFiles
{
    private readonly HashSet<string> files;
    private readonly HashSet<string> directories;
    private readonly HashSet<string> missing = new(StringComparer.Ordinal);
    private readonly HashSet<string> variableFiles = new(StringComparer.Ordinal);
    private readonly HashSet<string> refused = new(StringComparer.Ordinal);
    private readonly HashSet<string> pendingReads = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, string> texts;

    /// <summary>What a variable file's name ends with; such files are never in a bundle.</summary>
    public const string VariableFileSuffix = ".vars.json";

    /// <param name="prefix">The bundle root, e.g. <c>builds/nginx/</c> ("" or ending in '/').</param>
    /// <param name="keys">Every key under <paramref name="prefix"/> (as listed).</param>
    /// <param name="texts">Files already downloaded for <see cref="ReadText"/>, by bundle path.</param>
    public S3BundleFiles(string prefix, IEnumerable<string> keys, IReadOnlyDictionary<string, string>? texts = null)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(keys);
        if (prefix.Length > 0 && !prefix.EndsWith('/'))
        {
            throw new ArgumentException($"A bundle prefix ends with '/': '{prefix}'", nameof(prefix));
        }

        Prefix = prefix;
        this.texts = texts ?? new Dictionary<string, string>(StringComparer.Ordinal);
        files = new HashSet<string>(StringComparer.Ordinal);
        directories = new HashSet<string>(StringComparer.Ordinal) { string.Empty };
        foreach (var key in keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || key.EndsWith('/'))
            {
                continue;
            }

            var path = key[prefix.Length..];
            if (path.EndsWith(VariableFileSuffix, StringComparison.OrdinalIgnoreCase))
            {
                variableFiles.Add(path);
                continue;
            }

            files.Add(path);
            for (var folder = BundlePath.GetFolder(path); folder.Length > 0; folder = BundlePath.GetFolder(folder))
            {
                directories.Add(folder);
            }
        }
    }

    public string Prefix { get; }

    /// <summary>Bundle paths asked about that were not there.</summary>
    public IReadOnlyCollection<string> MissingPaths => missing;

    /// <summary>Bundle paths asked about that are variable files: present in S3, never readable by a build.</summary>
    public IReadOnlyCollection<string> RefusedPaths => refused;

    /// <summary>
    /// Bundle files a template read with <c>file()</c>/<c>templatefile()</c>/<c>fileexists()</c> that are in the bundle
    /// but were not among the downloaded texts: the load saw them as absent and must run again once they are downloaded.
    /// </summary>
    public IReadOnlyCollection<string> PendingReads => pendingReads;

    /// <summary>The S3 key of a bundle path.</summary>
    public string KeyOf(string bundlePath) => Prefix + bundlePath;

    /// <summary>Every file (bundle path) under a folder, for archiving a directory.</summary>
    public IReadOnlyList<string> FilesUnder(string folder)
    {
        var start = folder.Length == 0 ? string.Empty : folder + "/";
        return [.. files.Where(path => path.StartsWith(start, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    public IReadOnlyList<string> ListFiles(string bundleFolder)
    {
        ArgumentNullException.ThrowIfNull(bundleFolder);
        return FilesUnder(BundlePath.Normalize(bundleFolder) ?? bundleFolder);
    }

    /// <summary>
    /// <c>{{template_dir}}</c>: the build file's folder written from the bundle root (<c>/</c>, <c>/sub</c>), so
    /// <see cref="ResolveRelative"/> takes <c>{{template_dir}}/x.sh</c> from the root. Accepts the file's bundle path or its full key.
    /// </summary>
    public string GetBuildFileFolder(string buildFilePath)
    {
        ArgumentNullException.ThrowIfNull(buildFilePath);
        var path = buildFilePath.StartsWith(Prefix, StringComparison.Ordinal) ? buildFilePath[Prefix.Length..] : buildFilePath;
        return "/" + BundlePath.GetFolder(path);
    }

    public string? ResolveRelative(string buildFileFolder, string pathAsWritten) => BundlePath.Combine(buildFileFolder, pathAsWritten);

    public BundleEntryKind GetKind(string bundlePath)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        var path = BundlePath.Normalize(bundlePath) ?? bundlePath;
        if (files.Contains(path))
        {
            return BundleEntryKind.File;
        }

        if (directories.Contains(path))
        {
            return BundleEntryKind.Directory;
        }

        if (variableFiles.Contains(path) || path.EndsWith(VariableFileSuffix, StringComparison.OrdinalIgnoreCase))
        {
            // Not worth waiting for: it would not be readable when it arrived either.
            refused.Add(path);
            return BundleEntryKind.Missing;
        }

        missing.Add(path);
        return BundleEntryKind.Missing;
    }

    /// <summary>
    /// The downloaded text of a bundle file. A file that is listed but not downloaded yet is noted in
    /// <see cref="PendingReads"/> (the engine asks synchronously; Prepare downloads and loads again); an absent one in
    /// <see cref="MissingPaths"/>, like a missing script, so Prepare waits briefly for it.
    /// </summary>
    public string? ReadText(string bundlePath)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        var path = BundlePath.Normalize(bundlePath) ?? bundlePath;
        if (texts.TryGetValue(path, out var text))
        {
            return text;
        }

        if (GetKind(path) == BundleEntryKind.File)
        {
            pendingReads.Add(path);
        }

        return null;
    }
}
