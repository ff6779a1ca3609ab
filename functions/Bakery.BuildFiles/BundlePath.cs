namespace Bakery.BuildFiles;

/// <summary>Pure '/'-separated path arithmetic for bundles (shared by the local and the S3 implementations of <see cref="IBundleFiles"/>).</summary>
public static class BundlePath
{
    /// <summary>
    /// Joins <paramref name="folder"/> (a bundle path, "" for the root) and <paramref name="relative"/> and normalizes the result.
    /// A <paramref name="relative"/> starting with '/' is taken from the bundle root. Backslashes count as separators.
    /// Returns null when the result would leave the bundle root.
    /// </summary>
    public static string? Combine(string folder, string relative)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(relative);
        var text = relative.Replace('\\', '/');
        var start = text.StartsWith('/') ? text : folder.Replace('\\', '/') + "/" + text;
        return Normalize(start);
    }

    /// <summary>Removes empty, '.' and '..' segments; null when '..' climbs above the root.</summary>
    public static string? Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = new List<string>();
        foreach (var segment in path.Replace('\\', '/').Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return string.Join('/', segments);
    }

    /// <summary>
    /// The deepest folder holding all of <paramref name="folders"/> ("" for the root): the folder tree a build uploads
    /// (its build file's folder and every referenced file's), the same for validation and for <c>bakery build</c>.
    /// </summary>
    public static string CommonFolder(IReadOnlyList<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        ArgumentOutOfRangeException.ThrowIfZero(folders.Count);
        var common = Segments(folders[0]);
        foreach (var folder in folders.Skip(1))
        {
            var parts = Segments(folder);
            var length = 0;
            while (length < Math.Min(common.Length, parts.Length) && common[length] == parts[length])
            {
                length++;
            }

            common = common[..length];
        }

        return string.Join('/', common);
    }

    private static string[] Segments(string path) => path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The folder part of a bundle path ("" for a file at the root).</summary>
    public static string GetFolder(string bundlePath)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        var normalized = bundlePath.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? "" : normalized[..slash];
    }
}
