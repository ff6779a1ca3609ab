using System.Text;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// Looks for one secret in text: as written, in the quoted forms a shell, JSON or PowerShell gives it (see
/// <see cref="ShellQuotedForms"/>), and base64-encoded at each of the three alignments (SSM commands carry scripts
/// base64-encoded in wrapped lines, so a state or log that held a command would hide the secret from a plain
/// search). Records every place it searched and every place it found the secret.
/// </summary>
internal sealed class SecretSearch
{
    private readonly List<string> leaks = [];
    private readonly List<string> searched = [];

    /// <param name="forms">The secret's quoted forms besides itself (from <see cref="ShellQuotedForms"/>).</param>
    public SecretSearch(string secret, IEnumerable<string>? forms = null)
    {
        Secret = secret;
        Forms = [secret, .. (forms ?? []).Where(form => form != secret).Distinct(StringComparer.Ordinal)];
        var bytes = Encoding.UTF8.GetBytes(secret);
        Encoded = [.. Enumerable.Range(0, 3).Select(offset => Base64Core(bytes, offset))];
    }

    public string Secret { get; }

    /// <summary>The secret as written first, then each quoted form it is looked for in.</summary>
    public IReadOnlyList<string> Forms { get; }

    public static async Task<SecretSearch> WithQuotedFormsAsync(string secret) => new(secret, await ShellQuotedForms.OfAsync(secret));

    /// <summary>The secret's base64 forms: the characters that encode only the secret, whatever came before it.</summary>
    public IReadOnlyList<string> Encoded { get; }

    /// <summary>Where the secret was found, with a few characters around it: empty when nothing leaked.</summary>
    public IReadOnlyList<string> Leaks => leaks;

    /// <summary>Every place searched, with its size, so a report shows what "nowhere" covered.</summary>
    public IReadOnlyList<string> Searched => searched;

    public bool IsIn(string text) => Find(text) is not null;

    public bool IsEncodedIn(string text)
    {
        var stream = Base64Stream(text);
        return Encoded.Any(form => stream.Contains(form, StringComparison.Ordinal));
    }

    /// <summary>Searches <paramref name="text"/> and records <paramref name="place"/> as a leak when the secret is in it.</summary>
    public void Search(string place, string? text)
    {
        text ??= "";
        searched.Add($"{place} ({text.Length} chars)");
        if (Find(text) is { } at)
        {
            var from = Math.Max(0, at.Index - 60);
            var excerpt = at.Length == 0
                ? "(base64-encoded)"
                : "..." + text[from..Math.Min(text.Length, at.Index + at.Length + 60)].ReplaceLineEndings(" ") + "...";
            leaks.Add($"{place}: {excerpt}");
        }
    }

    private (int Index, int Length)? Find(string text)
    {
        foreach (var form in Forms)
        {
            var at = text.IndexOf(form, StringComparison.Ordinal);
            if (at >= 0)
            {
                return (at, form.Length);
            }
        }

        // Wrapped base64 (lines, JSON arrays of lines, escaped line breaks): only the alphabet's characters count.
        var stream = Base64Stream(text);
        foreach (var form in Encoded)
        {
            if (stream.Contains(form, StringComparison.Ordinal))
            {
                return (0, 0);
            }
        }

        return null;
    }

    private static string Base64Stream(string text)
    {
        // System.Text.Json writes '+' as \u002B.
        var unescaped = text.Replace("\\u002B", "+", StringComparison.OrdinalIgnoreCase)
            .Replace("\\n", "", StringComparison.Ordinal).Replace("\\r", "", StringComparison.Ordinal);
        return string.Concat(unescaped.Where(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/'));
    }

    private static string Base64Core(byte[] secret, int offset)
    {
        var encoded = Convert.ToBase64String([.. new byte[offset], .. secret]);
        var first = (offset + 2) / 3 * 4;
        var last = (offset + secret.Length) / 3 * 4;
        return encoded[first..last];
    }
}
