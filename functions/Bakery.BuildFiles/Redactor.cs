using Bakery.BuildFiles.Internal;

namespace Bakery.BuildFiles;

/// <summary>
/// Replaces the value of every sensitive variable by <c>&lt;sensitive&gt;</c> in any text Bakery prints or stores: as
/// written, and in the quoted and escaped forms a script's output can carry (a shell tracing with <c>set -x</c>, JSON,
/// PowerShell quoting, a multi-line value cut into lines; see <see cref="SecretForms"/>).
/// </summary>
public sealed class Redactor
{
    public const string Mask = "<sensitive>";

    private readonly string[] _secrets;

    public Redactor(IEnumerable<string> sensitiveValues)
    {
        Values = [.. sensitiveValues.Where(v => v.Length > 0).Distinct(StringComparer.Ordinal)];
        // Longest first, so a secret (or form) that contains another one is masked whole.
        _secrets = [.. sensitiveValues.Where(v => v.Length > 0).SelectMany(SecretForms.Of).Distinct(StringComparer.Ordinal)
            .OrderByDescending(v => v.Length).ThenBy(v => v, StringComparer.Ordinal)];
    }

    /// <summary>A redactor that changes nothing.</summary>
    public static Redactor None { get; } = new([]);

    public bool IsEmpty => _secrets.Length == 0;

    /// <summary>The sensitive values as given (not their forms): what a step needs to build the same redactor again.</summary>
    public IReadOnlyList<string> Values { get; }

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var secret in _secrets)
        {
            text = text.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return text;
    }
}
