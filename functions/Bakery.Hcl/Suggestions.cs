namespace Bakery.Hcl;

/// <summary>
/// "Did you mean": the closest known name, when it is close enough to be a typo. The one helper for every error that
/// names an unknown key, function, variable, block or type, in HCL2 and in legacy JSON build files alike, so the same
/// misspelling gets the same answer everywhere.
/// </summary>
public static class Suggestions
{
    // Longer names are not typos of a known name; the cap also bounds the work a hostile build file can ask for.
    private const int LongestComparedName = 200;

    /// <summary>
    /// The candidate nearest to <paramref name="name"/> (ignoring case; the first one on a tie), or null when even the
    /// nearest is more than a third of the name away (at least 2 edits are always allowed) or shares nothing with it.
    /// So "timestmp" finds "timestamp" and "instnace_type" finds "instance_type", but "foo" finds nothing.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        var lowered = name.ToLowerInvariant();
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(lowered, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var allowed = Math.Max(2, name.Length / 3);
        return bestDistance <= allowed && bestDistance < name.Length ? best : null;
    }

    /// <summary>
    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two adjacent characters
    /// each count one, because a swap is the commonest typo. <see cref="int.MaxValue"/> past the length cap.
    /// </summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Length > LongestComparedName || b.Length > LongestComparedName)
        {
            return int.MaxValue;
        }

        // Three rows of the dynamic-programming table: the swap rule looks two rows back.
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }

            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }

        return previous[b.Length];
    }
}
