namespace Bakery.Core.BuildFiles;

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

    /// <summary>The folder part of a bundle path ("" for a file at the root).</summary>
    public static string GetFolder(string bundlePath)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        var normalized = bundlePath.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        return slash < 0 ? "" : normalized[..slash];
    }
}
