using System.Text;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>Go's <c>strings</c> functions Packer's template functions are built on, with Go's edge cases.</summary>
internal static class GoStrings
{
    /// <summary>Go's <c>strings.Replace(s, old, new, n)</c>: n &lt; 0 replaces all; an empty old matches at every rune boundary.</summary>
    public static string Replace(string s, string oldValue, string newValue, long n)
    {
        if (n == 0 || string.Equals(oldValue, newValue, StringComparison.Ordinal))
        {
            return s;
        }

        var builder = new StringBuilder(s.Length);
        var start = 0;
        long done = 0;
        if (oldValue.Length == 0)
        {
            // Matches before each rune and at the end: "ab" -> "XaXbX".
            while (n < 0 || done < n)
            {
                if (done > 0)
                {
                    if (start >= s.Length)
                    {
                        break;
                    }

                    var width = char.IsHighSurrogate(s[start]) && start + 1 < s.Length && char.IsLowSurrogate(s[start + 1]) ? 2 : 1;
                    builder.Append(s, start, width);
                    start += width;
                }

                builder.Append(newValue);
                done++;
            }

            builder.Append(s, start, s.Length - start);
            return builder.ToString();
        }

        while (n < 0 || done < n)
        {
            var index = s.IndexOf(oldValue, start, StringComparison.Ordinal);
            if (index < 0)
            {
                break;
            }

            builder.Append(s, start, index - start).Append(newValue);
            start = index + oldValue.Length;
            done++;
        }

        if (done == 0)
        {
            return s;
        }

        builder.Append(s, start, s.Length - start);
        return builder.ToString();
    }

    /// <summary>Go's <c>strings.Split(s, sep)</c>: an empty separator splits into runes; an empty s gives [""].</summary>
    public static List<string> Split(string s, string separator)
    {
        var parts = new List<string>();
        if (separator.Length == 0)
        {
            for (var i = 0; i < s.Length;)
            {
                var width = char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
                parts.Add(s.Substring(i, width));
                i += width;
            }

            return parts;
        }

        parts.AddRange(s.Split(separator, StringSplitOptions.None));
        return parts;
    }

    /// <summary>
    /// The amazon plugin's <c>clean_resource_name</c>: every byte that is not a letter, digit or one of
    /// <c>( ) [ ] space . / - ' @ _</c> becomes '-' (byte by byte, so a two-byte UTF-8 character becomes "--").
    /// </summary>
    public static string CleanAmiName(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var rune in s.EnumerateRunes())
        {
            if (rune.IsAscii && IsAllowedAmiNameByte((char)rune.Value))
            {
                builder.Append((char)rune.Value);
            }
            else
            {
                builder.Append('-', rune.Utf8SequenceLength);
            }
        }

        return builder.ToString();
    }

    private static bool IsAllowedAmiNameByte(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '(' or ')' or '[' or ']' or ' ' or '.' or '/' or '-' or '\'' or '@' or '_';

    /// <summary>Go's <c>url.QueryEscape</c>: letters, digits and <c>-_.~</c> stay, space becomes '+', the rest %XX of UTF-8.</summary>
    public static string QueryEscape(string s)
    {
        var builder = new StringBuilder(s.Length);
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else if (c == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Go's <c>len</c> of a string: its length in UTF-8 bytes.</summary>
    public static int ByteLength(string s) => Encoding.UTF8.GetByteCount(s);
}
