using System.Globalization;
using System.Text;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// The ways a secret shows up in command output besides as written: quoted by a shell tracing a command
/// (<c>set -x</c>), escaped in JSON a tool prints, quoted for PowerShell, and cut into lines. Each form is the text
/// between the quotes, so masking it leaves the quoting around <c>&lt;sensitive&gt;</c> intact.
/// </summary>
internal static class SecretForms
{
    /// <summary>Lines of a multi-line secret shorter than this are not masked on their own: they would shred unrelated output.</summary>
    public const int MinLineFragment = 4;

    public static IEnumerable<string> Of(string secret)
    {
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var form in Quoted(secret))
        {
            forms.Add(form);
            // Quoted twice: set -x tracing a line that already holds a quoted value (echo "${x@Q}", bash -c '...'),
            // JSON of a traced line, a PowerShell string built from one.
            forms.Add(ShSingleQuoted(form));
            forms.Add(Json(form, asciiOnly: false, upperHex: false));
            forms.Add(PowerShellSingleQuoted(form));
        }

        foreach (var form in forms.ToList().Where(form => form.Contains('\n', StringComparison.Ordinal)))
        {
            // Output from Windows, or through a tool that rewrites line ends.
            forms.Add(form.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal));
            foreach (var line in form.Split('\n'))
            {
                var fragment = line.TrimEnd('\r');
                if (fragment.Trim().Length >= MinLineFragment)
                {
                    forms.Add(fragment);
                }
            }
        }

        forms.Remove("");
        return forms;
    }

    /// <summary>The value as written and in every quoting or escaping this class knows, once.</summary>
    private static IEnumerable<string> Quoted(string secret) =>
    [
        secret,
        // bash's set -x: 'it'\''s'.
        ShSingleQuoted(secret),
        // Packer's (and Bakery's own) environment_vars quoting: 'it'"'"'s'.
        secret.Replace("'", "'\"'\"'", StringComparison.Ordinal),
        AnsiC(secret),
        // bash's printf %q for a value without control characters.
        ShBackslashed(secret),
        // bash's declare -p, and a script's own "..." quoting.
        ShDoubleQuoted(secret),
        // pwsh drops ANSI escape sequences from what it prints; terminals logged as plain text drop control characters too.
        WithoutControlCharacters(secret, escapeSequencesOnly: true),
        WithoutControlCharacters(secret, escapeSequencesOnly: false),
        Json(secret, asciiOnly: false, upperHex: false),
        Json(secret, asciiOnly: true, upperHex: false),
        Json(secret, asciiOnly: true, upperHex: true),
        JsonSafe(secret),
        PowerShellSingleQuoted(secret),
        PowerShellDoubleQuoted(secret),
    ];

    private static string ShSingleQuoted(string value) => value.Replace("'", "'\\''", StringComparison.Ordinal);

    /// <summary>bash's <c>$'...'</c> (printf %q, declare -p, ${x@Q}): C escapes, other control characters in octal.</summary>
    private static string AnsiC(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\'' => "\\'",
                '\a' => "\\a",
                '\b' => "\\b",
                '\u001b' => "\\E",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                _ when c < ' ' || c == '\u007f' => "\\" + Convert.ToString(c, 8).PadLeft(3, '0'),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    /// <summary>bash's backslash quoting (sh_backslash_quote): a backslash before each character the shell would read.</summary>
    private static string ShBackslashed(string value)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ' ' or '\t' or '\n' or '\'' or '"' or '\\' or '|' or '&' or ';' or '(' or ')' or '<' or '>' or '!' or '{' or '}'
                or '*' or '[' or '?' or ']' or '^' or '$' or '`' or ','
                || (i == 0 && c is '~' or '#' or '='))
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>POSIX double quotes: a backslash before <c>\ " $ `</c>.</summary>
    private static string ShDoubleQuoted(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\\' or '"' or '$' or '`')
            {
                text.Append('\\');
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>The value without ANSI escape sequences (ESC [ ... letter) and, unless only those, other control characters but tab and newline.</summary>
    private static string WithoutControlCharacters(string value, bool escapeSequencesOnly)
    {
        var text = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\u001b' && i + 1 < value.Length && value[i + 1] == '[')
            {
                i += 2;
                while (i < value.Length && !char.IsAsciiLetter(value[i]))
                {
                    i++;
                }

                continue;
            }

            if (!escapeSequencesOnly && ((c < ' ' && c is not '\t' and not '\n') || c == '\u007f'))
            {
                continue;
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>A JSON string's content: quote, backslash and control characters escaped; optionally all non-ASCII as \uXXXX.</summary>
    private static string Json(string value, bool asciiOnly, bool upperHex)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (c < ' ' || (asciiOnly && c > '~'))
                    {
                        text.Append("\\u").Append(((int)c).ToString(upperHex ? "X4" : "x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>System.Text.Json's default escaping: also HTML-sensitive characters, quotes and non-ASCII as \uXXXX.</summary>
    private static string JsonSafe(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when c < ' ' || c > '~' || c is '"' or '\'' or '<' or '>' or '&' or '+' or '`' => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    /// <summary>PowerShell single quotes: each of its four single-quote characters doubled.</summary>
    private static string PowerShellSingleQuoted(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B')
            {
                text.Append(c);
            }

            text.Append(c);
        }

        return text.ToString();
    }

    /// <summary>PowerShell double quotes: backtick before each character that would end or expand the string.</summary>
    private static string PowerShellDoubleQuoted(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '`' or '$' or '"' or '\u201C' or '\u201D' or '\u201E')
            {
                text.Append('`');
            }

            text.Append(c);
        }

        return text.ToString();
    }
}
