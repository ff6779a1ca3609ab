using System.Globalization;
using System.Text;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>Go's <c>fmt</c> printing of template values: <c>%v</c>, Sprint, Sprintln and a subset of Sprintf.</summary>
internal static class GoFormat
{
    /// <summary>
    /// Go's <c>%v</c> for float64 (strconv's 'g' with the shortest digits): exponent form when the decimal
    /// exponent is below -4 or at least 6, so 1e6 prints as "1e+06" and 0.5 as "0.5".
    /// </summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var (digits, pointPosition) = Decompose(Math.Abs(value).ToString("R", CultureInfo.InvariantCulture));
        var exponent = pointPosition - 1;
        var builder = new StringBuilder(24);
        if (value < 0)
        {
            builder.Append('-');
        }

        if (exponent < -4 || exponent >= 6)
        {
            AppendExponentForm(builder, digits, exponent);
        }
        else if (pointPosition <= 0)
        {
            builder.Append("0.").Append('0', -pointPosition).Append(digits);
        }
        else if (pointPosition >= digits.Length)
        {
            builder.Append(digits).Append('0', pointPosition - digits.Length);
        }
        else
        {
            builder.Append(digits, 0, pointPosition).Append('.').Append(digits, pointPosition, digits.Length - pointPosition);
        }

        return builder.ToString();
    }

    private static void AppendExponentForm(StringBuilder builder, string digits, int exponent)
    {
        builder.Append(digits[0]);
        if (digits.Length > 1)
        {
            builder.Append('.').Append(digits, 1, digits.Length - 1);
        }

        builder.Append('e').Append(exponent < 0 ? '-' : '+');
        var magnitude = Math.Abs(exponent);
        if (magnitude < 10)
        {
            builder.Append('0');
        }

        builder.Append(magnitude.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>"1.5E-05" or "123.45" into significant digits ("15", "12345") and the decimal point position.</summary>
    private static (string Digits, int PointPosition) Decompose(string shortest)
    {
        var exponentIndex = shortest.IndexOf('E', StringComparison.Ordinal);
        var mantissa = exponentIndex < 0 ? shortest : shortest[..exponentIndex];
        var exponent = exponentIndex < 0 ? 0 : int.Parse(shortest.AsSpan(exponentIndex + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var pointPosition = (point < 0 ? mantissa.Length : point) + exponent;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }

        digits = digits[leadingZeros..].TrimEnd('0');
        return (digits.Length == 0 ? "0" : digits, pointPosition - leadingZeros);
    }

    /// <summary>Go's <c>fmt.Sprint</c>: a space between operands when neither side is a string.</summary>
    public static string Sprint(ReadOnlySpan<TemplateValue> values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0 && values[i].Kind != TemplateValueKind.String && values[i - 1].Kind != TemplateValueKind.String)
            {
                builder.Append(' ');
            }

            values[i].AppendTo(builder);
        }

        return builder.ToString();
    }

    /// <summary>Go's <c>fmt.Sprintln</c>: spaces between all operands and a newline at the end.</summary>
    public static string Sprintln(ReadOnlySpan<TemplateValue> values)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < values.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(' ');
            }

            values[i].AppendTo(builder);
        }

        return builder.Append('\n').ToString();
    }

    /// <summary>
    /// Go's <c>fmt.Sprintf</c> for the verbs templates use: %v %s %d %t %q %x %X %f and %%, without width or flags.
    /// Mismatches print as Go does: <c>%!d(string=abc)</c>, <c>%!s(MISSING)</c>, <c>%!(EXTRA string=x)</c>.
    /// </summary>
    public static string Sprintf(string format, ReadOnlySpan<TemplateValue> values)
    {
        var builder = new StringBuilder(format.Length + 16);
        var next = 0;
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
                builder.Append("%!(NOVERB)");
                break;
            }

            var verb = format[++i];
            if (verb == '%')
            {
                builder.Append('%');
                continue;
            }

            if (next >= values.Length)
            {
                builder.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            AppendVerb(builder, verb, values[next++]);
        }

        if (next < values.Length)
        {
            builder.Append("%!(EXTRA ");
            for (var k = next; k < values.Length; k++)
            {
                if (k > next)
                {
                    builder.Append(", ");
                }

                builder.Append(TemplateEvaluator.GoTypeName(values[k])).Append('=');
                values[k].AppendTo(builder);
            }

            builder.Append(')');
        }

        return builder.ToString();
    }

    private static void AppendVerb(StringBuilder builder, char verb, TemplateValue value)
    {
        switch (verb, value.Kind)
        {
            case ('v', _):
            case ('s', TemplateValueKind.String):
            case ('d', TemplateValueKind.Integer):
            case ('t', TemplateValueKind.Bool):
                value.AppendTo(builder);
                return;
            case ('q', TemplateValueKind.String):
                AppendQuoted(builder, value.AsString!);
                return;
            case ('x' or 'X', TemplateValueKind.Integer):
                var hex = value.AsInteger < 0
                    ? "-" + (-value.AsInteger).ToString("x", CultureInfo.InvariantCulture)
                    : value.AsInteger.ToString("x", CultureInfo.InvariantCulture);
                builder.Append(verb == 'X' ? hex.ToUpperInvariant() : hex);
                return;
            case ('x' or 'X', TemplateValueKind.String):
                var bytes = Convert.ToHexString(Encoding.UTF8.GetBytes(value.AsString!));
                builder.Append(verb == 'x' ? bytes.ToLowerInvariant() : bytes);
                return;
            case ('f', TemplateValueKind.Float):
                builder.Append(value.AsFloat.ToString("F6", CultureInfo.InvariantCulture));
                return;
            default:
                builder.Append("%!").Append(verb).Append('(').Append(TemplateEvaluator.GoTypeName(value)).Append('=');
                value.AppendTo(builder);
                builder.Append(')');
                return;
        }
    }

    /// <summary>Go's <c>strconv.Quote</c> for the common cases: escapes quotes, backslashes and control characters.</summary>
    public static void AppendQuoted(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(c < 0x80 ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
    }
}
