namespace Bakery.Hcl.Evaluation;

/// <summary>
/// Go's <c>path.Clean</c> and <c>filepath.Rel</c> for '/'-separated paths: <c>fileset</c> joins its path and pattern and
/// cleans the result before globbing, and gives each match relative to the path, as Packer does.
/// </summary>
public static class HclSlashPath
{
    /// <summary>The shortest equivalent path: no empty or <c>.</c> segments, <c>..</c> resolved where it can be; "" is <c>.</c>.</summary>
    public static string Clean(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rooted = path.StartsWith('/');
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == ".." && segments.Count > 0 && segments[^1] != "..")
            {
                segments.RemoveAt(segments.Count - 1);
            }
            else if (segment != ".." || !rooted)
            {
                segments.Add(segment);
            }
        }

        var joined = string.Join('/', segments);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }

    /// <summary>Go's <c>filepath.Join</c>: the non-empty parts joined by '/' and cleaned.</summary>
    public static string Join(string first, string second) =>
        first.Length == 0 ? Clean(second) : second.Length == 0 ? Clean(first) : Clean(first + "/" + second);

    /// <summary><paramref name="target"/> relative to <paramref name="basePath"/> (both cleaned, both rooted or both not).</summary>
    public static string Relative(string basePath, string target)
    {
        ArgumentNullException.ThrowIfNull(basePath);
        ArgumentNullException.ThrowIfNull(target);
        if (basePath == ".")
        {
            return target;
        }

        var from = basePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var to = target.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var common = 0;
        while (common < from.Length && common < to.Length && from[common] == to[common])
        {
            common++;
        }

        var parts = Enumerable.Repeat("..", from.Length - common).Concat(to.Skip(common)).ToList();
        return parts.Count == 0 ? "." : string.Join('/', parts);
    }
}
