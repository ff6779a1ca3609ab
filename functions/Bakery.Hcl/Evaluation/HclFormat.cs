using System.Globalization;
using System.Text;

namespace Bakery.Hcl.Evaluation;

/// <summary>
/// <c>format()</c>: Go's fmt verbs as cty's stdlib accepts them (<c>%s %d %f %v %q %t %%</c>, with width, precision,
/// <c>-</c>, <c>0</c>, <c>+</c> flags and <c>%[n]</c> argument indexes).
/// </summary>
internal static class HclFormat
{
    public static string Format(string format, IReadOnlyList<HclValue> arguments)
    {
        var builder = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%')
            {
                builder.Append(c);
                continue;
            }

            i++;
            if (i >= format.Length)
            {
                throw new HclFunctionException("the format ends with a lone '%'");
            }

            if (format[i] == '%')
            {
                builder.Append('%');
                continue;
            }

            var leftAlign = false;
            var zeroPad = false;
            var plus = false;
            while (i < format.Length && format[i] is '-' or '0' or '+' or ' ' or '#')
            {
                leftAlign |= format[i] == '-';
                zeroPad |= format[i] == '0';
                plus |= format[i] == '+';
                i++;
            }

            if (i + 2 < format.Length && format[i] == '[')
            {
                var close = format.IndexOf(']', i);
                if (close < 0 || !int.TryParse(format.AsSpan(i + 1, close - i - 1), CultureInfo.InvariantCulture, out var index) || index < 1)
                {
                    throw new HclFunctionException("invalid %[n] argument index");
                }

                next = index - 1;
                i = close + 1;
            }

            var width = ReadNumber(format, ref i);
            int? precision = null;
            if (i < format.Length && format[i] == '.')
            {
                i++;
                precision = ReadNumber(format, ref i) ?? 0;
            }

            if (i >= format.Length)
            {
                throw new HclFunctionException("the format ends inside a verb");
            }

            var verb = format[i];
            if (next >= arguments.Count)
            {
                throw new HclFunctionException($"not enough arguments for the format: %{verb} needs argument {next + 1}");
            }

            var value = arguments[next++];
            var text = Verb(verb, value, precision, plus);
            if (width is { } w && text.Length < w)
            {
                text = leftAlign ? text.PadRight(w) : zeroPad && verb is 'd' or 'f' ? ZeroPad(text, w) : text.PadLeft(w);
            }

            builder.Append(text);
        }

        if (next < arguments.Count)
        {
            throw new HclFunctionException($"too many arguments: the format uses {next}, {arguments.Count} given");
        }

        return builder.ToString();
    }

    private static string ZeroPad(string text, int width) =>
        text.StartsWith('-') || text.StartsWith('+') ? text[0] + text[1..].PadLeft(width - 1, '0') : text.PadLeft(width, '0');

    private static int? ReadNumber(string format, ref int i)
    {
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i]))
        {
            i++;
        }

        return i > start ? int.Parse(format.AsSpan(start, i - start), CultureInfo.InvariantCulture) : null;
    }

    private static string Verb(char verb, HclValue value, int? precision, bool plus)
    {
        switch (verb)
        {
            case 's':
                {
                    var text = HclConvert.ToStringValue(value, "the %s argument");
                    return precision is { } p && p < text.Length ? text[..p] : text;
                }

            case 'q':
                return HclJson.Encode(HclValue.String(HclConvert.ToStringValue(value, "the %q argument")));
            case 'd':
                {
                    var number = HclConvert.ToNumber(value, "the %d argument");
                    if (number != Math.Floor(number))
                    {
                        throw new HclFunctionException($"%d needs a whole number, not {HclValue.FormatNumber(number)}");
                    }

                    var text = ((long)number).ToString(CultureInfo.InvariantCulture);
                    return plus && number >= 0 ? "+" + text : text;
                }

            case 'f':
            case 'e':
            case 'g':
                {
                    var number = HclConvert.ToNumber(value, $"the %{verb} argument");
                    var text = verb == 'f' ? number.ToString("F" + (precision ?? 6).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)
                        : verb == 'e' ? number.ToString((precision ?? 6) == 0 ? "0e+00" : "0." + new string('0', precision ?? 6) + "e+00", CultureInfo.InvariantCulture)
                        : HclValue.FormatNumber(number);
                    return plus && number >= 0 ? "+" + text : text;
                }

            case 't':
                return HclConvert.ToBool(value, "the %t argument") ? "true" : "false";
            case 'v':
                return value.Kind is HclValueKind.List or HclValueKind.Object ? HclJson.Encode(value) : value.IsNull ? "null" : HclConvert.ToStringValue(value, "the %v argument");
            case 'x':
            case 'X':
                {
                    var text = value.Kind == HclValueKind.Number
                        ? ((long)value.AsNumber).ToString(verb == 'x' ? "x" : "X", CultureInfo.InvariantCulture)
                        : Convert.ToHexString(Encoding.UTF8.GetBytes(HclConvert.ToStringValue(value, "the %x argument")));
                    return verb == 'x' ? text.ToLowerInvariant() : text;
                }

            default:
                throw new HclFunctionException($"unsupported format verb %{verb}");
        }
    }
}
