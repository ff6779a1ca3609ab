using System.Globalization;
using System.Text;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// Go's <c>time.Time.Format</c> with reference-time layouts ("2006-01-02T15:04:05Z07:00"), token for token as
/// Go's <c>nextStdChunk</c> recognises them, and go-strftime's <c>%</c> directives on top of it.
/// </summary>
internal static class GoTime
{
    public const string Rfc3339 = "2006-01-02T15:04:05Z07:00";

    private static readonly string[] LongDayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] LongMonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private enum Std
    {
        None,
        LongMonth,          // January
        Month,              // Jan
        NumMonth,           // 1
        ZeroMonth,          // 01
        LongWeekDay,        // Monday
        WeekDay,            // Mon
        Day,                // 2
        UnderDay,           // _2
        ZeroDay,            // 02
        UnderYearDay,       // __2
        ZeroYearDay,        // 002
        Hour,               // 15
        Hour12,             // 3
        ZeroHour12,         // 03
        Minute,             // 4
        ZeroMinute,         // 04
        Second,             // 5
        ZeroSecond,         // 05
        LongYear,           // 2006
        Year,               // 06
        PM,                 // PM
        LowerPM,            // pm
        TZ,                 // MST
        ISO8601TZ,          // Z0700
        ISO8601SecondsTZ,   // Z070000
        ISO8601ShortTZ,     // Z07
        ISO8601ColonTZ,     // Z07:00
        ISO8601ColonSecondsTZ, // Z07:00:00
        NumTZ,              // -0700
        NumSecondsTz,       // -070000
        NumShortTZ,         // -07
        NumColonTZ,         // -07:00
        NumColonSecondsTZ,  // -07:00:00
        FracSecond0,        // .0, .00, ... (trailing zeros kept)
        FracSecond9,        // .9, .99, ... (trailing zeros dropped)
    }

    /// <summary>Formats <paramref name="time"/> with a Go layout. Packer formats in UTC, so callers pass UTC.</summary>
    public static string Format(DateTimeOffset time, string layout)
    {
        var builder = new StringBuilder(layout.Length + 10);
        var rest = layout.AsSpan();
        while (rest.Length > 0)
        {
            var (prefixLength, std, tokenLength, fracDigits) = NextChunk(rest);
            builder.Append(rest[..prefixLength]);
            if (std == Std.None)
            {
                break;
            }

            var separator = rest[prefixLength];
            rest = rest[(prefixLength + tokenLength)..];
            AppendToken(builder, time, std, fracDigits, separator);
        }

        return builder.ToString();
    }

    /// <summary>Go's nextStdChunk: the literal prefix, the token after it and the token's length.</summary>
    private static (int PrefixLength, Std Std, int TokenLength, int FracDigits) NextChunk(ReadOnlySpan<char> layout)
    {
        for (var i = 0; i < layout.Length; i++)
        {
            var rest = layout[i..];
            switch (layout[i])
            {
                case 'J':
                    if (rest.StartsWith("Jan"))
                    {
                        if (rest.StartsWith("January"))
                        {
                            return (i, Std.LongMonth, 7, 0);
                        }

                        if (!StartsWithLowerCase(rest[3..]))
                        {
                            return (i, Std.Month, 3, 0);
                        }
                    }

                    break;
                case 'M':
                    if (rest.StartsWith("Mon"))
                    {
                        if (rest.StartsWith("Monday"))
                        {
                            return (i, Std.LongWeekDay, 6, 0);
                        }

                        if (!StartsWithLowerCase(rest[3..]))
                        {
                            return (i, Std.WeekDay, 3, 0);
                        }
                    }

                    if (rest.StartsWith("MST"))
                    {
                        return (i, Std.TZ, 3, 0);
                    }

                    break;
                case '0':
                    if (rest.Length >= 2 && rest[1] is >= '1' and <= '6')
                    {
                        Std[] zeroTokens = [Std.ZeroMonth, Std.ZeroDay, Std.ZeroHour12, Std.ZeroMinute, Std.ZeroSecond, Std.Year];
                        return (i, zeroTokens[rest[1] - '1'], 2, 0);
                    }

                    if (rest.StartsWith("002"))
                    {
                        return (i, Std.ZeroYearDay, 3, 0);
                    }

                    break;
                case '1':
                    return rest.StartsWith("15") ? (i, Std.Hour, 2, 0) : (i, Std.NumMonth, 1, 0);
                case '2':
                    return rest.StartsWith("2006") ? (i, Std.LongYear, 4, 0) : (i, Std.Day, 1, 0);
                case '_':
                    if (rest.StartsWith("_2"))
                    {
                        // "_2006" is a literal underscore followed by the long year.
                        if (rest.StartsWith("_2006"))
                        {
                            return (i + 1, Std.LongYear, 4, 0);
                        }

                        return (i, Std.UnderDay, 2, 0);
                    }

                    if (rest.StartsWith("__2"))
                    {
                        return (i, Std.UnderYearDay, 3, 0);
                    }

                    break;
                case '3':
                    return (i, Std.Hour12, 1, 0);
                case '4':
                    return (i, Std.Minute, 1, 0);
                case '5':
                    return (i, Std.Second, 1, 0);
                case 'P':
                    if (rest.StartsWith("PM"))
                    {
                        return (i, Std.PM, 2, 0);
                    }

                    break;
                case 'p':
                    if (rest.StartsWith("pm"))
                    {
                        return (i, Std.LowerPM, 2, 0);
                    }

                    break;
                case '-':
                    if (rest.StartsWith("-070000"))
                    {
                        return (i, Std.NumSecondsTz, 7, 0);
                    }

                    if (rest.StartsWith("-07:00:00"))
                    {
                        return (i, Std.NumColonSecondsTZ, 9, 0);
                    }

                    if (rest.StartsWith("-0700"))
                    {
                        return (i, Std.NumTZ, 5, 0);
                    }

                    if (rest.StartsWith("-07:00"))
                    {
                        return (i, Std.NumColonTZ, 6, 0);
                    }

                    if (rest.StartsWith("-07"))
                    {
                        return (i, Std.NumShortTZ, 3, 0);
                    }

                    break;
                case 'Z':
                    if (rest.StartsWith("Z070000"))
                    {
                        return (i, Std.ISO8601SecondsTZ, 7, 0);
                    }

                    if (rest.StartsWith("Z07:00:00"))
                    {
                        return (i, Std.ISO8601ColonSecondsTZ, 9, 0);
                    }

                    if (rest.StartsWith("Z0700"))
                    {
                        return (i, Std.ISO8601TZ, 5, 0);
                    }

                    if (rest.StartsWith("Z07:00"))
                    {
                        return (i, Std.ISO8601ColonTZ, 6, 0);
                    }

                    if (rest.StartsWith("Z07"))
                    {
                        return (i, Std.ISO8601ShortTZ, 3, 0);
                    }

                    break;
                case '.' or ',':
                    if (rest.Length > 1 && rest[1] is '0' or '9')
                    {
                        var digit = rest[1];
                        var j = 1;
                        while (j < rest.Length && rest[j] == digit)
                        {
                            j++;
                        }

                        // Only a fractional second when the run of digits ends here.
                        if (j >= rest.Length || !char.IsAsciiDigit(rest[j]))
                        {
                            return (i, digit == '0' ? Std.FracSecond0 : Std.FracSecond9, j, j - 1);
                        }
                    }

                    break;
            }
        }

        return (layout.Length, Std.None, 0, 0);
    }

    private static bool StartsWithLowerCase(ReadOnlySpan<char> text) => text.Length > 0 && text[0] is >= 'a' and <= 'z';

    private static void AppendToken(StringBuilder builder, DateTimeOffset time, Std std, int fracDigits, char separator)
    {
        var hour = time.Hour;
        switch (std)
        {
            case Std.Year:
                AppendInt(builder, time.Year % 100, 2);
                break;
            case Std.LongYear:
                AppendInt(builder, time.Year, 4);
                break;
            case Std.Month:
                builder.Append(LongMonthNames[time.Month - 1].AsSpan(0, 3));
                break;
            case Std.LongMonth:
                builder.Append(LongMonthNames[time.Month - 1]);
                break;
            case Std.NumMonth:
                AppendInt(builder, time.Month, 0);
                break;
            case Std.ZeroMonth:
                AppendInt(builder, time.Month, 2);
                break;
            case Std.WeekDay:
                builder.Append(LongDayNames[(int)time.DayOfWeek].AsSpan(0, 3));
                break;
            case Std.LongWeekDay:
                builder.Append(LongDayNames[(int)time.DayOfWeek]);
                break;
            case Std.Day:
                AppendInt(builder, time.Day, 0);
                break;
            case Std.UnderDay:
                if (time.Day < 10)
                {
                    builder.Append(' ');
                }

                AppendInt(builder, time.Day, 0);
                break;
            case Std.ZeroDay:
                AppendInt(builder, time.Day, 2);
                break;
            case Std.UnderYearDay:
                builder.Append(time.DayOfYear < 10 ? "  " : time.DayOfYear < 100 ? " " : "");
                AppendInt(builder, time.DayOfYear, 0);
                break;
            case Std.ZeroYearDay:
                AppendInt(builder, time.DayOfYear, 3);
                break;
            case Std.Hour:
                AppendInt(builder, hour, 2);
                break;
            case Std.Hour12:
                AppendInt(builder, hour % 12 == 0 ? 12 : hour % 12, 0);
                break;
            case Std.ZeroHour12:
                AppendInt(builder, hour % 12 == 0 ? 12 : hour % 12, 2);
                break;
            case Std.Minute:
                AppendInt(builder, time.Minute, 0);
                break;
            case Std.ZeroMinute:
                AppendInt(builder, time.Minute, 2);
                break;
            case Std.Second:
                AppendInt(builder, time.Second, 0);
                break;
            case Std.ZeroSecond:
                AppendInt(builder, time.Second, 2);
                break;
            case Std.PM:
                builder.Append(hour >= 12 ? "PM" : "AM");
                break;
            case Std.LowerPM:
                builder.Append(hour >= 12 ? "pm" : "am");
                break;
            case Std.TZ:
                AppendZoneName(builder, time);
                break;
            case Std.FracSecond0 or Std.FracSecond9:
                AppendFraction(builder, time, fracDigits, separator, trim: std == Std.FracSecond9);
                break;
            default:
                AppendOffset(builder, time, std);
                break;
        }
    }

    private static void AppendZoneName(StringBuilder builder, DateTimeOffset time)
    {
        var offsetSeconds = (int)time.Offset.TotalSeconds;
        if (offsetSeconds == 0)
        {
            builder.Append("UTC");
            return;
        }

        // No zone name for a bare offset: Go writes -0700 style.
        var zone = offsetSeconds / 60;
        builder.Append(zone < 0 ? '-' : '+');
        zone = Math.Abs(zone);
        AppendInt(builder, zone / 60, 2);
        AppendInt(builder, zone % 60, 2);
    }

    private static void AppendOffset(StringBuilder builder, DateTimeOffset time, Std std)
    {
        var offsetSeconds = (int)time.Offset.TotalSeconds;
        var iso = std is Std.ISO8601TZ or Std.ISO8601SecondsTZ or Std.ISO8601ShortTZ or Std.ISO8601ColonTZ or Std.ISO8601ColonSecondsTZ;
        if (iso && offsetSeconds == 0)
        {
            builder.Append('Z');
            return;
        }

        var zone = offsetSeconds / 60;
        var absOffset = Math.Abs(offsetSeconds);
        builder.Append(zone < 0 ? '-' : '+');
        zone = Math.Abs(zone);
        AppendInt(builder, zone / 60, 2);
        var colon = std is Std.ISO8601ColonTZ or Std.NumColonTZ or Std.ISO8601ColonSecondsTZ or Std.NumColonSecondsTZ;
        if (colon)
        {
            builder.Append(':');
        }

        if (std is not (Std.NumShortTZ or Std.ISO8601ShortTZ))
        {
            AppendInt(builder, zone % 60, 2);
        }

        if (std is Std.ISO8601SecondsTZ or Std.NumSecondsTz or Std.NumColonSecondsTZ or Std.ISO8601ColonSecondsTZ)
        {
            if (std is Std.NumColonSecondsTZ or Std.ISO8601ColonSecondsTZ)
            {
                builder.Append(':');
            }

            AppendInt(builder, absOffset % 60, 2);
        }
    }

    private static void AppendFraction(StringBuilder builder, DateTimeOffset time, int digits, char separator, bool trim)
    {
        // .NET keeps 100 ns ticks; Go nanoseconds. The last two of nine digits are always zero here.
        var nanoseconds = (time.Ticks % TimeSpan.TicksPerSecond) * 100;
        var all = nanoseconds.ToString("D9", CultureInfo.InvariantCulture);
        var n = Math.Min(digits, 9);
        if (trim)
        {
            while (n > 0 && all[n - 1] == '0')
            {
                n--;
            }

            if (n == 0)
            {
                return;
            }
        }

        builder.Append(separator).Append(all.AsSpan(0, n));
    }

    private static void AppendInt(StringBuilder builder, int value, int width)
    {
        if (value < 0)
        {
            builder.Append('-');
            value = -value;
        }

        var text = value.ToString(CultureInfo.InvariantCulture);
        for (var pad = text.Length; pad < width; pad++)
        {
            builder.Append('0');
        }

        builder.Append(text);
    }

    /// <summary>go-strftime (what Packer's <c>strftime</c> uses): each known <c>%x</c> maps to one Go layout token.</summary>
    public static string Strftime(DateTimeOffset time, string format)
    {
        var builder = new StringBuilder(format.Length + 16);
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                builder.Append(c);
                continue;
            }

            if (i + 1 >= format.Length)
            {
                builder.Append('%');
                break;
            }

            var directive = format[++i];
            string? layout = directive switch
            {
                'B' => "January",
                'b' => "Jan",
                'm' => "01",
                'A' => "Monday",
                'a' => "Mon",
                'd' => "02",
                'H' => "15",
                'I' => "03",
                'M' => "04",
                'S' => "05",
                'Y' => "2006",
                'y' => "06",
                'p' => "PM",
                'Z' => "MST",
                'z' => "-0700",
                'L' => ".000",
                '%' => null,
                _ => "",
            };
            if (layout is null)
            {
                builder.Append('%');
            }
            else if (layout.Length == 0)
            {
                builder.Append('%').Append(directive);
            }
            else
            {
                builder.Append(Format(time, layout));
            }
        }

        return builder.ToString();
    }
}
