using System.Text;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// Looks for one secret in text: as written, and base64-encoded at each of the three alignments (SSM commands carry
/// scripts base64-encoded, so a state or log that held a command would hide the secret from a plain search). Records
/// every place it searched and every place it found the secret.
/// </summary>
internal sealed class SecretSearch
{
    private readonly List<string> leaks = [];
    private readonly List<string> searched = [];

    public SecretSearch(string secret)
    {
        Secret = secret;
        var bytes = Encoding.UTF8.GetBytes(secret);
        Encoded = [.. Enumerable.Range(0, 3).Select(offset => Base64Core(bytes, offset))];
    }

    public string Secret { get; }

    /// <summary>The secret's base64 forms: the characters that encode only the secret, whatever came before it.</summary>
    public IReadOnlyList<string> Encoded { get; }

    /// <summary>Where the secret was found, with a few characters around it: empty when nothing leaked.</summary>
    public IReadOnlyList<string> Leaks => leaks;

    /// <summary>Every place searched, with its size, so a report shows what "nowhere" covered.</summary>
    public IReadOnlyList<string> Searched => searched;

    public bool IsIn(string text) => Find(text) is not null;

    public bool IsEncodedIn(string text) => Encoded.Any(form => text.Contains(form, StringComparison.Ordinal));

    /// <summary>Searches <paramref name="text"/> and records <paramref name="place"/> as a leak when the secret is in it.</summary>
    public void Search(string place, string? text)
    {
        text ??= "";
        searched.Add($"{place} ({text.Length} chars)");
        if (Find(text) is { } at)
        {
            var from = Math.Max(0, at.Index - 60);
            var excerpt = text[from..Math.Min(text.Length, at.Index + at.Length + 60)].ReplaceLineEndings(" ");
            leaks.Add($"{place}: ...{excerpt}...");
        }
    }

    private (int Index, int Length)? Find(string text)
    {
        foreach (var form in Encoded.Prepend(Secret))
        {
            var index = text.IndexOf(form, StringComparison.Ordinal);
            if (index >= 0)
            {
                return (index, form.Length);
            }
        }

        return null;
    }

    private static string Base64Core(byte[] secret, int offset)
    {
        var encoded = Convert.ToBase64String([.. new byte[offset], .. secret]);
        var first = (offset + 2) / 3 * 4;
        var last = (offset + secret.Length) / 3 * 4;
        return encoded[first..last];
    }
}
