using System.Text;

namespace Bakery.Core.Steps.Internal;

/// <summary>Quoting for the commands sent to the instance, so no value from a build file can break out of its string.</summary>
internal static class ShellQuoting
{
    /// <summary>POSIX single quotes; a quote inside becomes <c>'"'"'</c> (Packer's own escaping for env vars).</summary>
    public static string Sh(string value) => "'" + value.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// PowerShell single quotes. PowerShell ends a single-quoted string at any of four characters, the ASCII apostrophe
    /// and the typographic U+2018 to U+201B, so each of them inside is doubled, as PowerShell's own
    /// <c>CodeGeneration.EscapeSingleQuotedStringContent</c> does; a doubled quote reads back as one.
    /// </summary>
    public static string Ps(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (IsPowerShellSingleQuote(c))
            {
                text.Append(c);
            }

            text.Append(c);
        }

        return text.Append('\'').ToString();
    }

    private static bool IsPowerShellSingleQuote(char c) => c is '\'' or '\u2018' or '\u2019' or '\u201A' or '\u201B';

    /// <summary>Base64 split in 76-character lines, the shape <c>base64 -d</c> reads happily from a heredoc.</summary>
    public static IEnumerable<string> Base64Lines(ReadOnlyMemory<byte> content)
    {
        var text = Convert.ToBase64String(content.Span);
        for (var i = 0; i < text.Length; i += 76)
        {
            yield return text.Substring(i, Math.Min(76, text.Length - i));
        }
    }

    /// <summary>Commands that write <paramref name="payload"/> to <paramref name="quotedPath"/> on a Linux instance.</summary>
    public static IEnumerable<string> WriteSh(ScriptPayload payload, string quotedPath)
    {
        if (payload.Inline is { } content)
        {
            // Quoted heredoc delimiter: nothing inside is expanded; base64 has no quote or $ characters anyway.
            yield return $"base64 -d > {quotedPath} <<'BAKERY_PAYLOAD_EOF'";
            foreach (var line in Base64Lines(content))
            {
                yield return line;
            }

            yield return "BAKERY_PAYLOAD_EOF";
        }
        else
        {
            yield return $"bakery_fetch {Sh(payload.Url!)} {quotedPath} || exit 97";
        }
    }

    /// <summary>Defines <c>bakery_fetch URL PATH</c> on the instance: curl, else wget.</summary>
    public static readonly string[] FetchFunction =
    [
        "bakery_fetch() { if command -v curl >/dev/null 2>&1; then curl -fsSL --retry 5 -o \"$2\" \"$1\"; else wget -q -O \"$2\" \"$1\"; fi; }",
    ];

    public static string Join(IEnumerable<string> parts, string separator)
    {
        var text = new StringBuilder();
        foreach (var part in parts)
        {
            if (text.Length > 0)
            {
                text.Append(separator);
            }

            text.Append(part);
        }

        return text.ToString();
    }
}
