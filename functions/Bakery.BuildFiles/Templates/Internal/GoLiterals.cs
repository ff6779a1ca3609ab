using System.Globalization;
using System.Text;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>Go's literal syntax (strconv.Unquote, number constants) as text/template accepts it.</summary>
internal static class GoLiterals
{
    /// <summary>Decodes the body of a double-quoted literal (between the quotes) with Go's escapes.</summary>
    /// <param name="body">The characters between the quotes.</param>
    /// <param name="bodyOffset">Offset of <paramref name="body"/> in the template, for error positions.</param>
    /// <param name="quote">The quote character: <c>"</c> for strings, <c>'</c> for character constants.</param>
    public static string UnquoteEscapes(ReadOnlySpan<char> body, int bodyOffset, char quote)
    {
        if (body.IndexOf('\\') < 0)
        {
            return body.ToString();
        }

        // \x and octal escapes are bytes (Go strings are bytes): collect UTF-8, decode once at the end.
        var bytes = new List<byte>(body.Length + 8);
        Span<byte> encoded = stackalloc byte[4];
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i];
            if (c != '\\')
            {
                if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
                {
                    AppendRune(bytes, new Rune(c, body[i + 1]), encoded);
                    i += 2;
                }
                else
                {
                    AppendRune(bytes, Rune.IsValid(c) ? new Rune(c) : Rune.ReplacementChar, encoded);
                    i++;
                }

                continue;
            }

            var escapeOffset = bodyOffset + i;
            if (i + 1 >= body.Length)
            {
                throw new TemplateSyntaxException("unterminated escape sequence at the end of a string literal", escapeOffset);
            }

            var e = body[i + 1];
            i += 2;
            switch (e)
            {
                case 'a': bytes.Add(7); break;
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'v': bytes.Add(11); break;
                case '\\': bytes.Add((byte)'\\'); break;
                case '"' or '\'' when e == quote:
                    bytes.Add((byte)e);
                    break;
                case 'x':
                    bytes.Add((byte)ReadHex(body, ref i, 2, escapeOffset, "\\x"));
                    break;
                case 'u':
                    AppendRune(bytes, CheckedRune(ReadHex(body, ref i, 4, escapeOffset, "\\u"), escapeOffset), encoded);
                    break;
                case 'U':
                    AppendRune(bytes, CheckedRune(ReadHex(body, ref i, 8, escapeOffset, "\\U"), escapeOffset), encoded);
                    break;
                case >= '0' and <= '7':
                    var value = e - '0';
                    for (var k = 0; k < 2; k++)
                    {
                        if (i >= body.Length || body[i] is < '0' or > '7')
                        {
                            throw new TemplateSyntaxException("octal escape needs exactly three digits (\\000 to \\377)", escapeOffset);
                        }

                        value = (value * 8) + (body[i] - '0');
                        i++;
                    }

                    if (value > 255)
                    {
                        throw new TemplateSyntaxException("octal escape value above \\377", escapeOffset);
                    }

                    bytes.Add((byte)value);
                    break;
                default:
                    throw new TemplateSyntaxException(
                        $"unknown escape sequence \\{e} in {(quote == '"' ? "string" : "character")} literal " +
                        "(Go escapes: \\n \\t \\r \\\\ \\\" \\xFF \\u00e9 \\U0001F600 \\101; or use a `raw string`)",
                        escapeOffset);
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The value of a Go character constant's body (between the single quotes): one character or one escape.</summary>
    public static int ParseCharConstant(ReadOnlySpan<char> body, int quoteOffset)
    {
        if (body.Length > 0 && body[0] != '\\')
        {
            if (Rune.DecodeFromUtf16(body, out var rune, out var consumed) == System.Buffers.OperationStatus.Done && consumed == body.Length)
            {
                return rune.Value;
            }
        }
        else if (body.Length > 1)
        {
            var i = 2;
            int? value = body[1] switch
            {
                'a' => 7,
                'b' => 8,
                'f' => 12,
                'n' => 10,
                'r' => 13,
                't' => 9,
                'v' => 11,
                '\\' => '\\',
                '\'' => '\'',
                'x' => ReadHex(body, ref i, 2, quoteOffset + 1, "\\x"),
                'u' => CheckedRune(ReadHex(body, ref i, 4, quoteOffset + 1, "\\u"), quoteOffset + 1).Value,
                'U' => CheckedRune(ReadHex(body, ref i, 8, quoteOffset + 1, "\\U"), quoteOffset + 1).Value,
                _ => null,
            };
            if (value is null && body.Length == 4 && body[1..].IndexOfAnyExcept("01234567") < 0)
            {
                value = ((body[1] - '0') * 64) + ((body[2] - '0') * 8) + (body[3] - '0');
                i = 4;
                value = value > 255 ? null : value;
            }

            if (value is not null && i == body.Length)
            {
                return value.Value;
            }
        }

        throw new TemplateSyntaxException($"malformed character constant '{body}': use \"...\" for strings", quoteOffset);
    }

    private static void AppendRune(List<byte> bytes, Rune rune, Span<byte> buffer)
    {
        var written = rune.EncodeToUtf8(buffer);
        for (var k = 0; k < written; k++)
        {
            bytes.Add(buffer[k]);
        }
    }

    private static Rune CheckedRune(int value, int offset)
    {
        if (!Rune.IsValid(value))
        {
            throw new TemplateSyntaxException($"escape \\u{value:X4} is not a valid Unicode character", offset);
        }

        return new Rune(value);
    }

    private static int ReadHex(ReadOnlySpan<char> body, ref int i, int digits, int offset, string escape)
    {
        if (i + digits > body.Length ||
            !int.TryParse(body.Slice(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ||
            body.Slice(i, digits).ContainsAny('+', '-'))
        {
            throw new TemplateSyntaxException($"escape {escape} needs exactly {digits} hexadecimal digits", offset);
        }

        if (digits == 8 && !uint.TryParse(body.Slice(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
        {
            throw new TemplateSyntaxException($"escape {escape} needs exactly {digits} hexadecimal digits", offset);
        }

        i += digits;
        return value;
    }

    /// <summary>Parses a Go number constant (<c>42</c>, <c>-7</c>, <c>0x1F</c>, <c>0o17</c>, <c>017</c>, <c>0b101</c>, <c>1_000</c>, <c>1.5</c>, <c>1e3</c>).</summary>
    public static TemplateValue? ParseNumber(string text)
    {
        var negative = false;
        var span = text.AsSpan();
        if (span.Length > 0 && (span[0] == '+' || span[0] == '-'))
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        if (span.Length == 0 || span[0] == '_' || span[^1] == '_' || span.Contains("__", StringComparison.Ordinal))
        {
            return null;
        }

        var digits = span.ToString().Replace("_", "", StringComparison.Ordinal);
        var numberBase = 10;
        if (digits.Length > 1 && digits[0] == '0')
        {
            switch (char.ToLowerInvariant(digits[1]))
            {
                case 'x': numberBase = 16; digits = digits[2..]; break;
                case 'o': numberBase = 8; digits = digits[2..]; break;
                case 'b': numberBase = 2; digits = digits[2..]; break;
                default:
                    if (digits.All(char.IsAsciiDigit))
                    {
                        numberBase = 8;
                        digits = digits[1..];
                    }

                    break;
            }
        }

        if (numberBase == 10 && digits.AsSpan().IndexOfAny(".eE") >= 0)
        {
            if (!double.TryParse(digits, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var real) ||
                double.IsInfinity(real) || !char.IsAsciiDigit(digits[^1]) && digits[^1] != '.')
            {
                return null;
            }

            return TemplateValue.FromFloat(negative ? -real : real);
        }

        if (digits.Length == 0)
        {
            return null;
        }

        ulong magnitude = 0;
        foreach (var c in digits)
        {
            var digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiHexDigit(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= numberBase)
            {
                return null;
            }

            try
            {
                magnitude = checked((magnitude * (ulong)numberBase) + (ulong)digit);
            }
            catch (OverflowException)
            {
                return null;
            }
        }

        if (negative)
        {
            return magnitude > (ulong)long.MaxValue + 1 ? null : TemplateValue.FromInteger(unchecked(-(long)magnitude));
        }

        return magnitude > long.MaxValue ? null : TemplateValue.FromInteger((long)magnitude);
    }
}
