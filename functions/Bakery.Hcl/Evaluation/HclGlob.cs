namespace Bakery.Hcl.Evaluation;

/// <summary>
/// The glob patterns of Packer's <c>fileset</c> (the doublestar library Packer 1.6.6 uses): <c>*</c> and <c>?</c> within
/// one path segment, <c>**</c> as a whole segment for any number of folders (in a segment with other text it is a
/// <c>*</c>), <c>[abc]</c>, <c>[a-z]</c>, <c>[^abc]</c> (<c>!</c> is an ordinary character, as there),
/// <c>{a,b}</c> alternatives (nested, and may hold <c>/</c>), <c>\</c> quoting the next character.
/// An unclosed <c>[</c> or <c>{</c> and an empty class are syntax errors, as in Packer.
/// </summary>
public sealed class HclGlob
{
    private readonly List<string[]> _alternatives;

    private HclGlob(List<string[]> alternatives) => _alternatives = alternatives;

    /// <summary>Parses a pattern of '/'-separated segments; throws <see cref="FormatException"/> for a syntax error.</summary>
    public static HclGlob Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var expanded = new List<string[]>();
        foreach (var alternative in ExpandBraces(pattern))
        {
            var segments = SplitSegments(alternative);
            foreach (var segment in segments)
            {
                CheckClasses(segment);
            }

            expanded.Add(segments);
        }

        return new HclGlob(expanded);
    }

    /// <summary>
    /// The segments of the pattern before its first wildcard (one list per alternative is not needed: the shortest
    /// common one), joined by '/': the folder every match lies under.
    /// </summary>
    public string FixedPrefix
    {
        get
        {
            var prefix = _alternatives[0].TakeWhile(IsLiteral).ToList();
            foreach (var alternative in _alternatives.Skip(1))
            {
                var common = 0;
                while (common < prefix.Count && common < alternative.Length && IsLiteral(alternative[common]) && alternative[common] == prefix[common])
                {
                    common++;
                }

                prefix.RemoveRange(common, prefix.Count - common);
            }

            // The last segment names files, not a folder to list, when it is the whole pattern.
            if (_alternatives.All(a => a.Length == prefix.Count) && prefix.Count > 0)
            {
                prefix.RemoveAt(prefix.Count - 1);
            }

            return string.Join('/', prefix.Select(Unquote));
        }
    }

    /// <summary>Whether a '/'-separated path matches the pattern (segment by segment, no normalisation).</summary>
    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('/');
        return _alternatives.Any(a => MatchSegments(a, 0, segments, 0));
    }

    private static bool MatchSegments(string[] pattern, int p, string[] path, int s)
    {
        if (p == pattern.Length)
        {
            return s == path.Length;
        }

        if (pattern[p] == "**")
        {
            for (var skip = s; skip <= path.Length; skip++)
            {
                if (MatchSegments(pattern, p + 1, path, skip))
                {
                    return true;
                }
            }

            return false;
        }

        return s < path.Length && MatchSegment(pattern[p], 0, path[s], 0) && MatchSegments(pattern, p + 1, path, s + 1);
    }

    private static bool MatchSegment(string pattern, int p, string text, int t)
    {
        while (p < pattern.Length)
        {
            switch (pattern[p])
            {
                case '*':
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    for (var rest = t; rest <= text.Length; rest++)
                    {
                        if (MatchSegment(pattern, p, text, rest))
                        {
                            return true;
                        }
                    }

                    return false;
                case '?':
                    if (t == text.Length)
                    {
                        return false;
                    }

                    p++;
                    t++;
                    break;
                case '[':
                    if (t == text.Length || !MatchClass(pattern, ref p, text[t]))
                    {
                        return false;
                    }

                    t++;
                    break;
                case '\\' when p + 1 < pattern.Length:
                    if (t == text.Length || text[t] != pattern[p + 1])
                    {
                        return false;
                    }

                    p += 2;
                    t++;
                    break;
                default:
                    if (t == text.Length || text[t] != pattern[p])
                    {
                        return false;
                    }

                    p++;
                    t++;
                    break;
            }
        }

        return t == text.Length;
    }

    /// <summary>Matches <paramref name="c"/> against the class at <paramref name="p"/> ('['), leaving p after its ']'.</summary>
    private static bool MatchClass(string pattern, ref int p, char c)
    {
        p++;
        var negated = p < pattern.Length && pattern[p] == '^';
        if (negated)
        {
            p++;
        }

        var matched = false;
        while (pattern[p] != ']')
        {
            var low = ClassChar(pattern, ref p);
            var high = low;
            if (pattern[p] == '-' && pattern[p + 1] != ']')
            {
                p++;
                high = ClassChar(pattern, ref p);
            }

            matched |= c >= low && c <= high;
        }

        p++;
        return matched != negated;
    }

    private static char ClassChar(string pattern, ref int p)
    {
        if (pattern[p] == '\\')
        {
            p++;
        }

        return pattern[p++];
    }

    /// <summary>Checks every class of a segment is closed and not empty (what Packer calls a syntax error).</summary>
    private static void CheckClasses(string segment)
    {
        for (var i = 0; i < segment.Length; i++)
        {
            if (segment[i] == '\\')
            {
                i++;
                continue;
            }

            if (segment[i] != '[')
            {
                continue;
            }

            var j = i + 1;
            if (j < segment.Length && segment[j] == '^')
            {
                j++;
            }

            var start = j;
            while (j < segment.Length && segment[j] != ']')
            {
                j += segment[j] == '\\' ? 2 : 1;
            }

            if (j >= segment.Length || j == start)
            {
                throw new FormatException("syntax error in pattern");
            }

            i = j;
        }
    }

    /// <summary>The pattern with each <c>{a,b}</c> replaced by its alternatives (innermost choices included).</summary>
    private static IEnumerable<string> ExpandBraces(string pattern)
    {
        var open = -1;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '[')
            {
                // Inside a class '{' and ',' are ordinary.
                while (i < pattern.Length && pattern[i] != ']')
                {
                    i += pattern[i] == '\\' ? 2 : 1;
                }
            }
            else if (pattern[i] == '{')
            {
                open = i;
                break;
            }
            else if (pattern[i] == '}')
            {
                throw new FormatException("syntax error in pattern");
            }
        }

        if (open < 0)
        {
            return [pattern];
        }

        var choices = new List<string>();
        var depth = 0;
        var start = open + 1;
        for (var i = open + 1; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '\\':
                    i++;
                    break;
                case '{':
                    depth++;
                    break;
                case '}' when depth > 0:
                    depth--;
                    break;
                case ',' when depth == 0:
                    choices.Add(pattern[start..i]);
                    start = i + 1;
                    break;
                case '}':
                    choices.Add(pattern[start..i]);
                    var before = pattern[..open];
                    var after = pattern[(i + 1)..];
                    return choices.SelectMany(choice => ExpandBraces(before + choice + after)).Distinct(StringComparer.Ordinal).ToList();
            }
        }

        throw new FormatException("syntax error in pattern");
    }

    private static string[] SplitSegments(string pattern)
    {
        var segments = new List<string>();
        var start = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\')
            {
                i++;
            }
            else if (pattern[i] == '/')
            {
                segments.Add(pattern[start..i]);
                start = i + 1;
            }
        }

        segments.Add(pattern[start..]);
        return [.. segments];
    }

    private static bool IsLiteral(string segment) => segment.IndexOfAny(['*', '?', '[']) < 0;

    private static string Unquote(string segment) => segment.Replace("\\", "", StringComparison.Ordinal);
}
