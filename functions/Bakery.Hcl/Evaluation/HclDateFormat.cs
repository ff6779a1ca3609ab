using System.Globalization;
using System.Text;

namespace Bakery.Hcl.Evaluation;

/// <summary>
/// <c>formatdate</c>'s spec language (YYYY, YY, MMMM, MMM, MM, M, DD, D, EEEE, EEE, hh, h, HH, H, AA, aa, mm, m, ss, s,
/// ZZZZZ, ZZZZ, ZZZ, Z, and 'quoted literals'), as cty's stdlib defines it.
/// </summary>
internal static class HclDateFormat
{
    public static string Rfc3339(DateTimeOffset time) =>
        time.Offset == TimeSpan.Zero ? time.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Format(string spec, DateTimeOffset time)
    {
        var builder = new StringBuilder();
        var i = 0;
        while (i < spec.Length)
        {
            var c = spec[i];
            if (c == '\'')
            {
                var close = spec.IndexOf('\'', i + 1);
                if (close < 0)
                {
                    throw new HclFunctionException("unterminated quoted literal in the date format");
                }

                builder.Append(close == i + 1 ? "'" : spec[(i + 1)..close]);
                i = close + 1;
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                builder.Append(c);
                i++;
                continue;
            }

            var run = 1;
            while (i + run < spec.Length && spec[i + run] == c)
            {
                run++;
            }

            builder.Append(Token(c, run, time));
            i += run;
        }

        return builder.ToString();
    }

    private static string Token(char letter, int run, DateTimeOffset time)
    {
        var culture = CultureInfo.InvariantCulture;
        var hour12 = time.Hour % 12 == 0 ? 12 : time.Hour % 12;
        var offset = time.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        return (letter, run) switch
        {
            ('Y', 4) => time.Year.ToString("0000", culture),
            ('Y', 2) => (time.Year % 100).ToString("00", culture),
            ('M', 4) => time.ToString("MMMM", culture),
            ('M', 3) => time.ToString("MMM", culture),
            ('M', 2) => time.Month.ToString("00", culture),
            ('M', 1) => time.Month.ToString(culture),
            ('D', 2) => time.Day.ToString("00", culture),
            ('D', 1) => time.Day.ToString(culture),
            ('E', 4) => time.DayOfWeek.ToString(),
            ('E', 3) => time.DayOfWeek.ToString()[..3],
            ('h', 2) => time.Hour.ToString("00", culture),
            ('h', 1) => time.Hour.ToString(culture),
            ('H', 2) => hour12.ToString("00", culture),
            ('H', 1) => hour12.ToString(culture),
            ('A', 2) => time.Hour < 12 ? "AM" : "PM",
            ('a', 2) => time.Hour < 12 ? "am" : "pm",
            ('m', 2) => time.Minute.ToString("00", culture),
            ('m', 1) => time.Minute.ToString(culture),
            ('s', 2) => time.Second.ToString("00", culture),
            ('s', 1) => time.Second.ToString(culture),
            ('Z', 5) => $"{sign}{abs.Hours:00}:{abs.Minutes:00}",
            ('Z', 4) => $"{sign}{abs.Hours:00}{abs.Minutes:00}",
            ('Z', 3) => offset == TimeSpan.Zero ? "UTC" : $"{sign}{abs.Hours:00}{abs.Minutes:00}",
            ('Z', 1) => offset == TimeSpan.Zero ? "Z" : $"{sign}{abs.Hours:00}:{abs.Minutes:00}",
            _ => throw new HclFunctionException($"invalid date format token \"{new string(letter, run)}\""),
        };
    }
}
