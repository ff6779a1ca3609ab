namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Symbolic links on the local disk, resolved by hand one path component at a time (as <c>realpath(3)</c> does), so a
/// link anywhere on the way — a linked folder, a link to a link — is seen, and a loop is reported instead of followed.
/// </summary>
internal static class LocalLinks
{
    // Linux gives up (ELOOP) after 40 links in one lookup.
    private const int MaxLinkHops = 40;

    private static readonly char[] Separators = ['/', Path.DirectorySeparatorChar];

    /// <summary>The path with every link resolved; null when it points to nothing, with <paramref name="loops"/> when it never ends.</summary>
    public static string? RealPath(string path, out bool loops)
    {
        loops = false;
        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var pending = new LinkedList<string>(Split(full[current.Length..]));
        var hops = 0;
        while (pending.First is { } first)
        {
            var part = first.Value;
            pending.RemoveFirst();
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = Path.Join(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    loops = true;
                    return null;
                }

                if (Path.IsPathRooted(target))
                {
                    current = Path.GetPathRoot(target)!;
                    target = target[current.Length..];
                }

                foreach (var segment in Split(target).Reverse())
                {
                    pending.AddFirst(segment);
                }

                continue;
            }

            if (!File.Exists(next) && !Directory.Exists(next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>The links at or on the way to <paramref name="full"/> from <paramref name="root"/>, and under it when it is a folder, that may not travel.</summary>
    public static List<(string Link, string Target, BundleLinkProblemKind Kind)> FindProblems(string full, string root)
    {
        var problems = new List<(string, string, BundleLinkProblemKind)>();
        var realRoot = RealPath(root, out _) ?? root;
        var walked = root;
        foreach (var part in Split(Path.GetRelativePath(root, full)).Where(p => p != "."))
        {
            walked = Path.Join(walked, part);
            if (Check(walked, realRoot) is { } problem)
            {
                problems.Add(problem);
                return problems;
            }
        }

        if (RealPath(full, out _) is { } real && Directory.Exists(real))
        {
            Descend(full, [real], realRoot, problems);
        }

        return problems;
    }

    /// <summary>
    /// Every file under <paramref name="folder"/>, as seen through it: a linked file or folder under its link's name.
    /// A link that loops is skipped (validation has refused it already).
    /// </summary>
    public static IEnumerable<string> EnumerateFiles(string folder)
    {
        var real = RealPath(folder, out _);
        return real is null ? [] : Walk(folder, [real]);
    }

    private static IEnumerable<string> Walk(string folder, List<string> chain)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var real = RealPath(entry.FullName, out _);
            if (real is null)
            {
                continue;
            }

            if (!Directory.Exists(real))
            {
                yield return entry.FullName;
            }
            else if (!chain.Any(seen => IsUnder(seen, real)))
            {
                foreach (var file in Walk(entry.FullName, [.. chain, real]))
                {
                    yield return file;
                }
            }
        }
    }

    private static void Descend(string folder, List<string> chain, string realRoot, List<(string, string, BundleLinkProblemKind)> problems)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry.LinkTarget is not null && Check(entry.FullName, realRoot) is { } problem)
            {
                problems.Add(problem);
                continue;
            }

            var real = RealPath(entry.FullName, out _);
            if (real is null || !Directory.Exists(real))
            {
                continue;
            }

            // A folder reached again through a link would be walked forever.
            if (chain.Any(seen => IsUnder(seen, real)))
            {
                problems.Add((entry.FullName, entry.LinkTarget ?? real, BundleLinkProblemKind.Loop));
                continue;
            }

            Descend(entry.FullName, [.. chain, real], realRoot, problems);
        }
    }

    private static (string, string, BundleLinkProblemKind)? Check(string path, string realRoot)
    {
        if (new FileInfo(path).LinkTarget is not { } target)
        {
            return null;
        }

        var real = RealPath(path, out var loops);
        if (real is null)
        {
            return (path, target, loops ? BundleLinkProblemKind.Loop : BundleLinkProblemKind.Dangling);
        }

        return IsUnder(real, realRoot) ? null : (path, target, BundleLinkProblemKind.LeadsOutside);
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it.</summary>
    private static bool IsUnder(string path, string folder)
    {
        var trimmed = folder.TrimEnd(Separators);
        return path == folder || path == trimmed || path.StartsWith(trimmed + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string[] Split(string path) => path.Split(Separators, StringSplitOptions.RemoveEmptyEntries);
}
