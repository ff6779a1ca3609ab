namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// The lexical part of Go's text/template for actions: whitespace, delimiters, identifiers' characters and the
/// literals (quoted and raw strings, character constants, numbers). Each scanner starts at <c>pos</c> in the template's
/// text and leaves <c>pos</c> after what it read; <see cref="ActionParser"/> holds the grammar.
/// </summary>
internal static class TemplateLexer
{
    public static LiteralNode Quoted(string source, ref int pos, char quote)
    {
        var open = pos;
        var i = pos + 1;
        while (true)
        {
            if (i >= source.Length || source[i] == '\n')
            {
                throw new TemplateSyntaxException(
                    quote == '"' ? "unterminated quoted string" : "unterminated character constant",
                    open);
            }

            var c = source[i];
            if (c == '\\' && i + 1 < source.Length && source[i + 1] != '\n')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                break;
            }

            i++;
        }

        pos = i + 1;
        var body = source.AsSpan(open + 1, i - open - 1);
        if (quote == '"')
        {
            return new LiteralNode(TemplateValue.FromString(GoLiterals.UnquoteEscapes(body, open + 1, quote)), source, open, pos - open);
        }

        // A character constant is its code point, as in Go ('a' is 97).
        return new LiteralNode(TemplateValue.FromInteger(GoLiterals.ParseCharConstant(body, open)), source, open, pos - open);
    }

    public static LiteralNode RawString(string source, ref int pos)
    {
        var open = pos;
        var close = source.IndexOf('`', open + 1);
        if (close < 0)
        {
            throw new TemplateSyntaxException("unterminated raw string: ` without a closing `", open);
        }

        pos = close + 1;
        var body = source[(open + 1)..close];
        if (body.Contains('\r', StringComparison.Ordinal))
        {
            body = body.Replace("\r", "", StringComparison.Ordinal);
        }

        return new LiteralNode(TemplateValue.FromString(body), source, open, pos - open);
    }

    public static LiteralNode Number(string source, ref int pos)
    {
        var start = pos;
        var i = pos;
        if (source[i] is '+' or '-')
        {
            i++;
        }

        // Go's scanNumber: digits, letters, '_', '.', and a sign right after an exponent marker.
        while (i < source.Length)
        {
            var c = source[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            {
                i++;
            }
            else if (c is '+' or '-' && i > start && source[i - 1] is 'e' or 'E' or 'p' or 'P' && !IsHexPrefixed(source, start, i))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        pos = i;
        var text = source[start..i];
        if (text.EndsWith('i'))
        {
            throw new TemplateSyntaxException($"complex number {text} is not supported", start);
        }

        var value = GoLiterals.ParseNumber(text)
            ?? throw new TemplateSyntaxException($"bad number syntax: {text}", start);
        return new LiteralNode(value, text, start);
    }

    private static bool IsHexPrefixed(string source, int start, int end)
    {
        var span = source.AsSpan(start, end - start).TrimStart("+-");
        return span.Length > 1 && span[0] == '0' && span[1] is 'x' or 'X';
    }

    /// <summary>Skips spaces; returns the position before skipping.</summary>
    public static int SkipSpaces(string source, ref int pos)
    {
        var before = pos;
        while (pos < source.Length && IsSpace(source[pos]))
        {
            pos++;
        }

        return before;
    }

    /// <summary>Go's text/template whitespace: space, tab, carriage return, newline.</summary>
    public static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    public static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    public static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);

    public static string Describe(char c) => c switch
    {
        '\n' => "newline",
        _ when char.IsControl(c) => $"character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    public static bool AtCloseDelimiter(string source, int pos, out bool trimRight)
    {
        trimRight = false;
        var rest = source.AsSpan(pos);
        if (rest.StartsWith("}}"))
        {
            return true;
        }

        if (rest.StartsWith("-}}") && pos > 0 && IsSpace(source[pos - 1]))
        {
            trimRight = true;
            return true;
        }

        return false;
    }
}
