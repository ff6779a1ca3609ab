using System.Globalization;
using System.Text.RegularExpressions;

namespace Bakery.Hcl.Evaluation;

/// <summary>Go's duration syntax for <c>timeadd</c> ("1h30m", "-10s", "1.5h").</summary>
internal static partial class HclDuration
{
    public static TimeSpan Parse(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success || text is "" or "-" or "+")
        {
            throw new HclFunctionException($"\"{text}\" is not a duration (e.g. 1h30m, 10s, -5m)");
        }

        var total = TimeSpan.Zero;
        foreach (Capture capture in match.Groups["part"].Captures)
        {
            var unitStart = capture.Value.IndexOfAny(['h', 'm', 's', 'u', 'µ', 'n']);
            var number = double.Parse(capture.Value[..unitStart], CultureInfo.InvariantCulture);
            total += capture.Value[unitStart..] switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                "ms" => TimeSpan.FromMilliseconds(number),
                "us" or "µs" => TimeSpan.FromMicroseconds(number),
                _ => TimeSpan.FromTicks((long)(number / 100)),
            };
        }

        return text.StartsWith('-') ? -total : total;
    }

    [GeneratedRegex(@"^[-+]?(?<part>[0-9]+(\.[0-9]+)?(h|ms|m|s|us|µs|ns))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
