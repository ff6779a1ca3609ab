using System.Text.RegularExpressions;
using Bakery.Testing;

namespace Bakery.Conformance.Tests.Verdicts;

/// <summary>
/// The one table of intentional refusals, read from docs/build-files.md ("Intentional refusals"), so the documentation
/// is what the suite holds Bakery to: a case Bakery refuses must name a row, and Bakery's error must contain the row's
/// error text (the first <c>`code`</c> span of its last column).
/// </summary>
public static partial class IntentionalRefusals
{
    public const string Heading = "### Intentional refusals";

    private static readonly Lazy<IReadOnlyDictionary<string, IntentionalRefusal>> Table = new(Read);

    public static IReadOnlyDictionary<string, IntentionalRefusal> All => Table.Value;

    private static Dictionary<string, IntentionalRefusal> Read()
    {
        var lines = File.ReadAllLines(RepositoryPaths.Combine("docs", "build-files.md"));
        var start = Array.IndexOf(lines, Heading);
        if (start < 0)
        {
            throw new InvalidOperationException($"docs/build-files.md has no '{Heading}' section");
        }

        var rows = new Dictionary<string, IntentionalRefusal>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split(" | ");
            var id = CodeSpan().Match(cells[0]);
            if (cells.Length < 3 || !id.Success)
            {
                continue; // the header and its separator
            }

            var error = CodeSpan().Match(cells[^1]);
            rows.Add(id.Groups[1].Value, new IntentionalRefusal(id.Groups[1].Value, cells[^2].Trim(), error.Success ? error.Groups[1].Value : ""));
        }

        return rows;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
