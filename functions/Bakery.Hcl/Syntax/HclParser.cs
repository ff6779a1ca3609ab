using System.Buffers;
using System.Globalization;
using System.Text;

namespace Bakery.Hcl.Syntax;

/// <summary>
/// HCL2 native syntax (hashicorp/hcl's hclsyntax spec) read straight from the characters: templates, heredocs and
/// expressions nest inside each other, so one recursive-descent reader is simpler than a separate token stream.
/// Newlines end an attribute at body level and are insignificant inside brackets, as the spec says.
/// Throws <see cref="HclException"/> at the first syntax error, with the place and what was expected.
/// </summary>
public sealed class HclParser
{
    private readonly string _file;
    private readonly string _text;
    /// <summary>The offset each line starts at (sized once: a 1 MB file has tens of thousands of lines).</summary>
    private readonly int[] _lineStarts;
    private int _pos;
    private int _nesting;

    /// <summary>
    /// Names seen so far, each kept once: a template repeats the same few (attribute names, <c>var</c>, <c>local</c>, ...)
    /// thousands of times, and one string per occurrence was a tenth of what parsing allocated.
    /// </summary>
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _nameLookup;

    /// <summary>
    /// The literal text of the template being read. One buffer serves every template: the text read so far is flushed
    /// into a part before anything nested (an interpolation, a directive) is read, so it is empty whenever one starts.
    /// </summary>
    private readonly StringBuilder _templateText = new();

    private HclParser(string file, string text)
    {
        _file = file;
        _text = text;
        _nameLookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
        _lineStarts = new int[text.AsSpan().Count('\n') + 1];
        var line = 1;
        for (var i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            _lineStarts[line++] = i + 1;
        }
    }

    /// <summary>Parses a whole file (a body).</summary>
    public static HclBody ParseFile(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new HclParser(file, text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text);
        var body = parser.ParseBody(topLevel: true);
        return body;
    }

    /// <summary>Parses one expression (for <c>-var</c> values of non-string variables and for tests).</summary>
    public static HclExpression ParseExpression(string file, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new HclParser(file, text);
        parser._nesting = 1;
        parser.SkipSpace();
        var expression = parser.Expression();
        parser.SkipSpace();
        if (!parser.AtEnd)
        {
            throw parser.Error($"unexpected {parser.Describe()} after the expression");
        }

        return expression;
    }

    private bool AtEnd => _pos >= _text.Length;

    private char Current => _pos < _text.Length ? _text[_pos] : '\0';

    private char Peek(int ahead) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    public HclPosition PositionOf(int offset)
    {
        // Nearly every node asks for its position, almost always at or a little after the previous one: walk from the
        // last line found instead of searching all lines each time (a binary search per node was a sixth of parsing).
        var line = _lastLine;
        if (offset < _lineStarts[line])
        {
            var index = Array.BinarySearch(_lineStarts, offset);
            line = index >= 0 ? index : ~index - 1;
        }
        else
        {
            while (line + 1 < _lineStarts.Length && _lineStarts[line + 1] <= offset)
            {
                line++;
            }
        }

        _lastLine = line;
        return new HclPosition(_file, line + 1, offset - _lineStarts[line] + 1);
    }

    private int _lastLine;

    private HclPosition Here => PositionOf(_pos);

    private HclException Error(string message) => new(Here, message);

    private string Describe()
    {
        if (AtEnd)
        {
            return "end of file";
        }

        if (Current == '\n')
        {
            return "newline";
        }

        var end = _pos;
        while (end < _text.Length && end - _pos < 20 && IsIdentifierPart(_text[end]))
        {
            end++;
        }

        return end > _pos ? $"\"{_text[_pos..end]}\"" : $"'{Current}'";
    }

    // ---- bodies ---------------------------------------------------------------------------------------------------

    private HclBody ParseBody(bool topLevel)
    {
        var start = Here;
        var attributes = new List<HclAttribute>();
        var blocks = new List<HclBlock>();
        var saved = _nesting;
        _nesting = 0;
        while (true)
        {
            SkipSpaceAndNewlines();
            if (AtEnd)
            {
                if (!topLevel)
                {
                    throw Error("unclosed block: expected '}'");
                }

                break;
            }

            if (Current == '}')
            {
                if (topLevel)
                {
                    throw Error("unexpected '}': there is no block to close");
                }

                break;
            }

            var itemStart = _pos;
            if (!IsIdentifierStart(Current))
            {
                throw Error($"expected an attribute name or a block type, found {Describe()}");
            }

            var name = Identifier();
            SkipSpace();
            if (Current == '=' && Peek(1) != '=')
            {
                _pos++;
                SkipSpace();
                if (Current is '\n' or '\0' or '#')
                {
                    throw Error($"attribute \"{name}\" has no value after '='");
                }

                var value = Expression();
                if (IsSet(attributes, name))
                {
                    throw new HclException(PositionOf(itemStart), $"attribute \"{name}\" is set twice in this body; remove one");
                }

                attributes.Add(new HclAttribute(name, value, PositionOf(itemStart)));
                EndOfItem();
                continue;
            }

            var labels = new List<string>();
            while (Current != '{')
            {
                if (Current == '"')
                {
                    var labelStart = _pos;
                    var template = QuotedTemplate();
                    if (template.Parts.Any(p => p is not HclTemplateText))
                    {
                        throw new HclException(PositionOf(labelStart), "a block label cannot contain interpolations");
                    }

                    labels.Add(template.Parts is [HclTemplateText only] ? Intern(only.Text) : string.Concat(template.Parts.Cast<HclTemplateText>().Select(t => t.Text)));
                }
                else if (IsIdentifierStart(Current))
                {
                    labels.Add(Identifier());
                }
                else
                {
                    throw Error($"expected '=' after \"{name}\" for an attribute, or '{{' for a block, found {Describe()}");
                }

                SkipSpace();
            }

            _pos++;
            var body = ParseBody(topLevel: false);
            _pos++; // '}'
            blocks.Add(new HclBlock(name, labels, body, PositionOf(itemStart)));
            EndOfItem();
        }

        _nesting = saved;
        return new HclBody(attributes, blocks, start);
    }

    private static bool IsSet(List<HclAttribute> attributes, string name)
    {
        foreach (var attribute in attributes)
        {
            if (attribute.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An attribute or block ends at a newline, the end of the file, or the '}' of a one-line block.</summary>
    private void EndOfItem()
    {
        SkipSpace();
        if (Current is '\n' or '\r' or '}' || AtEnd)
        {
            return;
        }

        throw Error($"expected a newline after this item, found {Describe()}");
    }

    // ---- expressions ----------------------------------------------------------------------------------------------

    private HclExpression Expression()
    {
        var start = Here;
        var condition = Binary(0);
        SkipSpace();
        if (Current != '?')
        {
            return condition;
        }

        _pos++;
        SkipSpace();
        var whenTrue = Expression();
        SkipSpace();
        Expect(':', "in a conditional (c ? a : b)");
        SkipSpace();
        var whenFalse = Expression();
        return new HclConditional(condition, whenTrue, whenFalse, start);
    }

    private static readonly string[][] Levels =
    [
        ["||"],
        ["&&"],
        ["==", "!="],
        ["<=", ">=", "<", ">"],
        ["+", "-"],
        ["*", "/", "%"],
    ];

    private HclExpression Binary(int level)
    {
        if (level == Levels.Length)
        {
            return Unary();
        }

        var startOffset = _pos;
        var left = Binary(level + 1);
        while (true)
        {
            SkipSpace();
            var op = OperatorAt(level);
            // "=>" belongs to for expressions, "==" is equality, not '<=' etc. confusion.
            if (op is null || (op == "*" && Peek(1) == '*') || (op is "<" or ">" && Peek(1) == '=') || (op == "%" && Peek(1) == '{'))
            {
                return left;
            }

            _pos += op.Length;
            SkipSpace();
            var right = Binary(level + 1);
            left = new HclBinary(op, left, right, PositionOf(startOffset));
        }
    }

    /// <summary>The operator of <paramref name="level"/> at the current place, or null (most places hold none: checked by its first character).</summary>
    private string? OperatorAt(int level)
    {
        if (Current is not ('|' or '&' or '=' or '!' or '<' or '>' or '+' or '-' or '*' or '/' or '%'))
        {
            return null;
        }

        foreach (var op in Levels[level])
        {
            if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) == 0)
            {
                return op;
            }
        }

        return null;
    }

    private HclExpression Unary()
    {
        if (Current is '-' or '!')
        {
            var start = Here;
            var op = Current == '-' ? "-" : "!";
            _pos++;
            SkipSpace();
            return new HclUnary(op, Unary(), start);
        }

        return Postfix(Primary());
    }

    private HclExpression Postfix(HclExpression expression)
    {
        while (true)
        {
            if (Current is not ('.' or '['))
            {
                return expression;
            }

            var start = Here;
            if (Current == '.' && Peek(1) == '*')
            {
                _pos += 2;
                expression = new HclSplat(expression, SplatTraversal(new HclSplatItem(start), full: false), false, start);
            }
            else if (Current == '[' && Peek(1) == '*' && Peek(2) == ']')
            {
                _pos += 3;
                expression = new HclSplat(expression, SplatTraversal(new HclSplatItem(start), full: true), true, start);
            }
            else if (Current == '.' && IsIdentifierStart(Peek(1)))
            {
                _pos++;
                expression = new HclGetAttribute(expression, Identifier(), start);
            }
            else if (Current == '.' && char.IsAsciiDigit(Peek(1)))
            {
                _pos++;
                var digits = _pos;
                while (char.IsAsciiDigit(Current))
                {
                    _pos++;
                }

                expression = new HclIndex(expression, new HclLiteral(HclValue.Number(double.Parse(_text[digits.._pos], CultureInfo.InvariantCulture)), PositionOf(digits)), start);
            }
            else if (Current == '[')
            {
                _pos++;
                _nesting++;
                SkipSpace();
                var key = Expression();
                SkipSpace();
                Expect(']', "to close the index");
                _nesting--;
                expression = new HclIndex(expression, key, start);
            }
            else
            {
                return expression;
            }
        }
    }

    /// <summary>The traversal after a splat, applied to each item: attributes (and, after [*], indexes).</summary>
    private HclExpression SplatTraversal(HclExpression item, bool full)
    {
        while (true)
        {
            var start = Here;
            if (Current == '.' && IsIdentifierStart(Peek(1)))
            {
                _pos++;
                item = new HclGetAttribute(item, Identifier(), start);
            }
            else if (full && Current == '[' && !(Peek(1) == '*' && Peek(2) == ']'))
            {
                _pos++;
                _nesting++;
                SkipSpace();
                var key = Expression();
                SkipSpace();
                Expect(']', "to close the index");
                _nesting--;
                item = new HclIndex(item, key, start);
            }
            else
            {
                return item;
            }
        }
    }

    private HclExpression Primary()
    {
        var start = Here;
        var c = Current;
        if (char.IsAsciiDigit(c))
        {
            return Number();
        }

        if (c == '"')
        {
            return QuotedTemplate();
        }

        if (c == '<' && Peek(1) == '<')
        {
            return Heredoc();
        }

        if (c == '(')
        {
            _pos++;
            _nesting++;
            SkipSpace();
            var inner = Expression();
            SkipSpace();
            Expect(')', "to close the parenthesis");
            _nesting--;
            return new HclParentheses(inner, start);
        }

        if (c == '[')
        {
            return TupleOrFor();
        }

        if (c == '{')
        {
            return ObjectOrFor();
        }

        if (IsIdentifierStart(c))
        {
            var name = Identifier();
            switch (name)
            {
                case "true":
                    return new HclLiteral(HclValue.True, start);
                case "false":
                    return new HclLiteral(HclValue.False, start);
                case "null":
                    return new HclLiteral(HclValue.Null, start);
            }

            if (Current == '(')
            {
                return Call(name, start);
            }

            return new HclVariable(name, start);
        }

        throw Error($"expected an expression, found {Describe()}");
    }

    private HclLiteral Number()
    {
        var start = _pos;
        while (char.IsAsciiDigit(Current))
        {
            _pos++;
        }

        if (Current == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            while (char.IsAsciiDigit(Current))
            {
                _pos++;
            }
        }

        if (Current is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            _pos += 2;
            while (char.IsAsciiDigit(Current))
            {
                _pos++;
            }
        }

        return new HclLiteral(HclValue.Number(double.Parse(_text[start.._pos], NumberStyles.Float, CultureInfo.InvariantCulture)), PositionOf(start));
    }

    private HclFunctionCall Call(string name, HclPosition start)
    {
        _pos++;
        _nesting++;
        SkipSpace();
        var items = ListItems(')', static parser => parser.Argument(), "in the arguments of {0}()", name);
        _nesting--;
        var arguments = new HclExpression[items.Length];
        for (var i = 0; i < items.Length; i++)
        {
            if (i > 0 && items[i - 1].Expanded)
            {
                throw new HclException(items[i].Expression.Position, "'...' may only follow the last argument");
            }

            arguments[i] = items[i].Expression;
        }

        return new HclFunctionCall(name, arguments, items.Length > 0 && items[^1].Expanded, start);
    }

    /// <summary>A function argument, and whether <c>...</c> follows it (the last argument's list is spread into arguments).</summary>
    private (HclExpression Expression, bool Expanded) Argument()
    {
        var expression = Expression();
        SkipSpace();
        if (Current == '.' && Peek(1) == '.' && Peek(2) == '.')
        {
            _pos += 3;
            return (expression, true);
        }

        return (expression, false);
    }

    /// <summary>
    /// The items of a bracketed list up to <paramref name="close"/>, which it consumes (the opening bracket is already read):
    /// separated by commas, a trailing comma allowed; in an object (<paramref name="close"/> '}') a newline separates too.
    /// <paramref name="where"/> names the list in the error (<c>{0}</c>: <paramref name="name"/>).
    /// </summary>
    /// <summary>
    /// The items of a list, an object or a call's arguments, gathered in a rented buffer and kept as an array of their
    /// exact size: the tree lives as long as the load, and a list (with room to grow) per tuple and per call, plus the
    /// argument list copied out of it, were machinery a 1 MB template paid for every provisioner (docs/benchmarks.md 1b).
    /// </summary>
    private T[] ListItems<T>(char close, Func<HclParser, T> item, string where, string? name = null)
    {
        var buffer = ArrayPool<T>.Shared.Rent(8);
        var count = 0;
        try
        {
            var newlineSeparates = close == '}';
            while (Current != close)
            {
                if (count == buffer.Length)
                {
                    var larger = ArrayPool<T>.Shared.Rent(count * 2);
                    Array.Copy(buffer, larger, count);
                    ArrayPool<T>.Shared.Return(buffer, clearArray: true);
                    buffer = larger;
                }

                buffer[count++] = item(this);
                SkipSpace();
                if (Current == ',')
                {
                    _pos++;
                    SkipSpace();
                }
                else if (Current != close && !(newlineSeparates && NewlineBefore()))
                {
                    var list = string.Format(CultureInfo.InvariantCulture, where, name);
                    throw Error(newlineSeparates
                        ? $"expected ',', a newline or '{close}' {list}, found {Describe()}"
                        : $"expected ',' or '{close}' {list}, found {Describe()}");
                }
            }

            _pos++;
            return count == 0 ? [] : buffer.AsSpan(0, count).ToArray();
        }
        finally
        {
            ArrayPool<T>.Shared.Return(buffer, clearArray: true);
        }
    }

    private bool AtForKeyword()
    {
        return string.CompareOrdinal(_text, _pos, "for", 0, 3) == 0 && Peek(3) is ' ' or '\t' or '\n' or '\r';
    }

    private HclExpression TupleOrFor()
    {
        var start = Here;
        _pos++;
        _nesting++;
        SkipSpace();
        if (AtForKeyword())
        {
            var result = ForExpression(start, objectForm: false);
            Expect(']', "to close the for expression");
            _nesting--;
            return result;
        }

        var items = ListItems(']', static parser => parser.Expression(), "in the list");
        _nesting--;
        return new HclTuple(items, start);
    }

    private HclExpression ObjectOrFor()
    {
        var start = Here;
        _pos++;
        _nesting++;
        SkipSpace();
        if (AtForKeyword())
        {
            var result = ForExpression(start, objectForm: true);
            Expect('}', "to close the for expression");
            _nesting--;
            return result;
        }

        var items = ListItems('}', static parser => parser.ObjectItem(), "in the object");
        _nesting--;
        return new HclObject(items, start);
    }

    /// <summary><c>key = value</c> or <c>key: value</c> in an object.</summary>
    private KeyValuePair<HclExpression, HclExpression> ObjectItem()
    {
        var keyStart = Here;
        HclExpression key;
        var identifierEnd = _pos;
        while (identifierEnd < _text.Length && IsIdentifierPart(_text[identifierEnd]))
        {
            identifierEnd++;
        }

        var afterIdentifier = identifierEnd;
        while (afterIdentifier < _text.Length && _text[afterIdentifier] is ' ' or '\t')
        {
            afterIdentifier++;
        }

        if (IsIdentifierStart(Current) && afterIdentifier < _text.Length && (_text[afterIdentifier] == ':' || (_text[afterIdentifier] == '=' && afterIdentifier + 1 < _text.Length && _text[afterIdentifier + 1] != '=')))
        {
            // A bare name is the key itself, not a variable (HCL's rule; write (name) for the variable).
            key = new HclTemplate([new HclTemplateText(Identifier())], keyStart);
        }
        else
        {
            key = Expression();
        }

        SkipSpace();
        if (Current is '=' or ':')
        {
            _pos++;
        }
        else
        {
            throw Error($"expected '=' after the object key, found {Describe()}");
        }

        SkipSpace();
        return new(key, Expression());
    }

    /// <summary>Whether a newline was skipped just before the current position (object items may be separated by one).</summary>
    private bool NewlineBefore()
    {
        for (var i = _pos - 1; i >= 0; i--)
        {
            var c = _text[i];
            if (c == '\n')
            {
                return true;
            }

            if (c is not (' ' or '\t' or '\r'))
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>After <c>for</c> (in an expression or a directive): <c>value in</c> or <c>key, value in</c>.</summary>
    private (string? KeyName, string ValueName) ForVariables(string where)
    {
        SkipSpace();
        var first = Identifier();
        string? keyName = null;
        var valueName = first;
        SkipSpace();
        if (Current == ',')
        {
            _pos++;
            SkipSpace();
            keyName = first;
            valueName = Identifier();
            SkipSpace();
        }

        if (!(Current == 'i' && Peek(1) == 'n' && !IsIdentifierPart(Peek(2))))
        {
            throw Error($"expected 'in' in {where}, found {Describe()}");
        }

        _pos += 2;
        SkipSpace();
        return (keyName, valueName);
    }

    private HclFor ForExpression(HclPosition start, bool objectForm)
    {
        _pos += 3;
        var (keyName, valueName) = ForVariables("the for expression");
        var collection = Expression();
        SkipSpace();
        Expect(':', "after the for expression's collection");
        SkipSpace();
        HclExpression? keyResult = null;
        if (objectForm)
        {
            keyResult = Expression();
            SkipSpace();
            if (!(Current == '=' && Peek(1) == '>'))
            {
                throw Error($"expected '=>' in the object for expression, found {Describe()}");
            }

            _pos += 2;
            SkipSpace();
        }

        var valueResult = Expression();
        SkipSpace();
        var group = false;
        if (objectForm && Current == '.' && Peek(1) == '.' && Peek(2) == '.')
        {
            _pos += 3;
            group = true;
            SkipSpace();
        }

        HclExpression? condition = null;
        if (string.CompareOrdinal(_text, _pos, "if", 0, 2) == 0 && !IsIdentifierPart(Peek(2)))
        {
            _pos += 2;
            SkipSpace();
            condition = Expression();
            SkipSpace();
        }

        return new HclFor(keyName, valueName, collection, keyResult, valueResult, condition, group, start);
    }

    // ---- templates ------------------------------------------------------------------------------------------------

    private HclTemplate QuotedTemplate()
    {
        var start = Here;
        _pos++;
        var parts = TemplateParts(heredocEnd: -1, out var ended, out _);
        if (ended is not null)
        {
            throw Error($"%{{ {ended} }} without a matching %{{ if }} or %{{ for }}");
        }

        return new HclTemplate(parts, start);
    }

    private HclTemplate Heredoc()
    {
        var start = Here;
        _pos += 2;
        var indented = Current == '-';
        if (indented)
        {
            _pos++;
        }

        if (!IsIdentifierStart(Current))
        {
            throw Error("expected a heredoc marker after '<<' (e.g. <<EOT)");
        }

        var marker = Identifier();
        if (Current == '\r')
        {
            _pos++;
        }

        if (Current != '\n')
        {
            throw Error($"expected a newline after the heredoc marker {marker}");
        }

        _pos++;
        var contentStart = _pos;
        var end = -1;
        var lineStart = _pos;
        while (lineStart <= _text.Length)
        {
            var lineEnd = _text.IndexOf('\n', lineStart);
            var line = lineEnd < 0 ? _text.AsSpan(lineStart) : _text.AsSpan(lineStart, lineEnd - lineStart);
            if (line.Trim().SequenceEqual(marker))
            {
                end = lineStart;
                break;
            }

            if (lineEnd < 0)
            {
                break;
            }

            lineStart = lineEnd + 1;
        }

        if (end < 0)
        {
            throw new HclException(start, $"heredoc <<{marker} is never closed: add a line with just {marker}");
        }

        IReadOnlyList<HclTemplatePart> parts = TemplateParts(end, out var ended, out _);
        if (ended is not null)
        {
            throw Error($"%{{ {ended} }} without a matching %{{ if }} or %{{ for }}");
        }

        // Past the marker line.
        _pos = end;
        while (_pos < _text.Length && _text[_pos] != '\n')
        {
            _pos++;
        }

        if (indented)
        {
            parts = StripIndent(parts, _text[contentStart..end]);
        }

        return new HclTemplate(parts, start, IsHeredoc: true);
    }

    /// <summary><c>&lt;&lt;-</c>: the smallest indentation of the non-blank lines is removed from every line.</summary>
    private static IReadOnlyList<HclTemplatePart> StripIndent(IReadOnlyList<HclTemplatePart> parts, string raw)
    {
        var lines = raw.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        var indent = lines.Count == 0 ? 0 : lines.Min(l => l.Length - l.TrimStart(' ', '\t').Length);
        if (indent == 0)
        {
            return parts;
        }

        var result = new List<HclTemplatePart>();
        var atLineStart = true;
        foreach (var part in parts)
        {
            if (part is not HclTemplateText text)
            {
                result.Add(part);
                atLineStart = false;
                continue;
            }

            var builder = new StringBuilder();
            var pieces = text.Text.Split('\n');
            for (var i = 0; i < pieces.Length; i++)
            {
                var piece = pieces[i];
                if (i > 0)
                {
                    builder.Append('\n');
                    atLineStart = true;
                }

                if (atLineStart)
                {
                    var remove = 0;
                    while (remove < indent && remove < piece.Length && piece[remove] is ' ' or '\t')
                    {
                        remove++;
                    }

                    piece = piece[remove..];
                }

                builder.Append(piece);
                atLineStart = false;
            }

            atLineStart = text.Text.EndsWith('\n');
            result.Add(new HclTemplateText(builder.ToString()));
        }

        return result;
    }

    /// <summary>
    /// Template parts up to the closing quote (<paramref name="heredocEnd"/> &lt; 0) or the heredoc's end offset, or up to an
    /// <c>%{ else }</c>/<c>%{ endif }</c>/<c>%{ endfor }</c>, which is returned in <paramref name="ended"/>.
    /// </summary>
    private HclTemplatePart[] TemplateParts(int heredocEnd, out string? ended, out bool endedStripAfter, bool stripFirst = false)
    {
        // The parts are gathered in a spare list and kept as an array of their exact size: the tree lives as long as the
        // load, and a list per template (with room to grow) was 7 % of what a 1 MB template allocates (docs/benchmarks.md 1b).
        // Nested %{ if }/%{ for } bodies each take their own spare.
        var parts = _spareParts.Count > 0 ? _spareParts.Pop() : [];
        try
        {
            CollectTemplateParts(parts, heredocEnd, out ended, out endedStripAfter, stripFirst);
            return [.. parts];
        }
        finally
        {
            parts.Clear();
            _spareParts.Push(parts);
        }
    }

    private readonly Stack<List<HclTemplatePart>> _spareParts = new();

    /// <summary>Template text up to this long is interned (see <see cref="_names"/>); longer text is mostly unique.</summary>
    private const int ShortTextLength = 4;

    private void CollectTemplateParts(List<HclTemplatePart> parts, int heredocEnd, out string? ended, out bool endedStripAfter, bool stripFirst)
    {
        var quoted = heredocEnd < 0;
        var text = _templateText;
        var stripNext = stripFirst;
        ended = null;
        endedStripAfter = false;

        void FlushText(bool stripEnd)
        {
            string value;
            if (text.Length <= ShortTextLength && !stripNext && !stripEnd)
            {
                // Short text between interpolations ("-", " ", "=", "ENV=") repeats all over a template: kept once, as names are.
                Span<char> characters = stackalloc char[ShortTextLength];
                text.CopyTo(0, characters, text.Length);
                value = text.Length == 0 ? "" : Intern(characters[..text.Length]);
                text.Clear();
                if (value.Length > 0)
                {
                    parts.Add(new HclTemplateText(value));
                }

                return;
            }

            value = text.ToString();
            if (stripNext)
            {
                value = value.TrimStart();
            }

            if (stripEnd)
            {
                value = value.TrimEnd();
            }

            if (value.Length > 0)
            {
                parts.Add(new HclTemplateText(value));
            }

            text.Clear();
            stripNext = false;
        }

        while (true)
        {
            if (quoted ? AtEnd || Current == '\n' : _pos >= heredocEnd)
            {
                if (quoted)
                {
                    throw Error("unterminated string: expected '\"' before the end of the line");
                }

                FlushText(false);
                return;
            }

            var c = Current;
            if (quoted && c == '"')
            {
                _pos++;
                FlushText(false);
                return;
            }

            if (quoted && c == '\\')
            {
                text.Append(Escape());
                continue;
            }

            if ((c == '$' || c == '%') && Peek(1) == c && Peek(2) == '{')
            {
                text.Append(c).Append('{');
                _pos += 3;
                continue;
            }

            if (c == '$' && Peek(1) == '{')
            {
                _pos += 2;
                var stripBefore = Current == '~';
                if (stripBefore)
                {
                    _pos++;
                }

                FlushText(stripBefore);
                _nesting++;
                SkipSpace();
                var expression = Expression();
                SkipSpace();
                var stripAfter = Current == '~';
                if (stripAfter)
                {
                    _pos++;
                }

                Expect('}', "to close the ${ interpolation");
                _nesting--;
                parts.Add(new HclTemplateInterpolation(expression, stripBefore, stripAfter));
                stripNext = stripAfter;
                continue;
            }

            if (c == '%' && Peek(1) == '{')
            {
                var directiveStart = Here;
                _pos += 2;
                var stripBefore = Current == '~';
                if (stripBefore)
                {
                    _pos++;
                }

                FlushText(stripBefore);
                _nesting++;
                SkipSpace();
                var keyword = IsIdentifierStart(Current) ? Identifier() : "";
                switch (keyword)
                {
                    case "if":
                        {
                            SkipSpace();
                            var condition = Expression();
                            CloseDirective(out var strip);
                            var thenParts = TemplateParts(heredocEnd, out var end, out strip, strip);
                            HclTemplatePart[] elseParts = [];
                            if (end == "else")
                            {
                                elseParts = TemplateParts(heredocEnd, out end, out strip, strip);
                            }

                            if (end != "endif")
                            {
                                throw new HclException(directiveStart, "%{ if } is never closed: add %{ endif }");
                            }

                            parts.Add(new HclTemplateIf(condition, thenParts, elseParts));
                            stripNext = strip;
                            break;
                        }

                    case "for":
                        {
                            var (keyName, valueName) = ForVariables("%{ for }");
                            var collection = Expression();
                            CloseDirective(out var strip);
                            var body = TemplateParts(heredocEnd, out var end, out strip, strip);
                            if (end != "endfor")
                            {
                                throw new HclException(directiveStart, "%{ for } is never closed: add %{ endfor }");
                            }

                            parts.Add(new HclTemplateFor(keyName, valueName, collection, body));
                            stripNext = strip;
                            break;
                        }

                    case "else":
                    case "endif":
                    case "endfor":
                        CloseDirective(out endedStripAfter);
                        ended = keyword;
                        return;
                    default:
                        throw new HclException(directiveStart, $"unknown template directive \"{keyword}\": expected if, else, endif, for or endfor");
                }

                continue;
            }

            // Plain text up to the next character that may mean something: appended as one run, not char by char.
            var limit = quoted ? _text.Length : heredocEnd;
            var run = _text.AsSpan(_pos + 1, limit - _pos - 1).IndexOfAny(TemplateSpecials);
            var length = run < 0 ? limit - _pos : run + 1;
            text.Append(_text, _pos, length);
            _pos += length;
        }
    }

    /// <summary>The characters that can end a run of plain template text: quote, escape, interpolation, directive, newline.</summary>
    private static readonly System.Buffers.SearchValues<char> TemplateSpecials = System.Buffers.SearchValues.Create("\"\\$%\n");

    private void CloseDirective(out bool stripAfter)
    {
        SkipSpace();
        stripAfter = Current == '~';
        if (stripAfter)
        {
            _pos++;
        }

        Expect('}', "to close the %{ directive");
        _nesting--;
    }

    private string Escape()
    {
        var start = Here;
        _pos++;
        var c = Current;
        _pos++;
        switch (c)
        {
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case '"': return "\"";
            case '\\': return "\\";
            case 'u':
            case 'U':
                var length = c == 'u' ? 4 : 8;
                if (_pos + length <= _text.Length && int.TryParse(_text.AsSpan(_pos, length), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code)
                    && code is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
                {
                    _pos += length;
                    return char.ConvertFromUtf32(code);
                }

                throw new HclException(start, $"invalid \\{c} escape: expected {length} hex digits of a Unicode code point");
            default:
                throw new HclException(start, $"invalid escape \\{c}: use \\n, \\r, \\t, \\\", \\\\, \\uNNNN or \\UNNNNNNNN");
        }
    }

    // ---- characters -----------------------------------------------------------------------------------------------

    private void Expect(char c, string context)
    {
        if (Current != c)
        {
            throw Error($"expected '{c}' {context}, found {Describe()}");
        }

        _pos++;
    }

    public static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    public static bool IsIdentifierPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '-';

    private string Identifier()
    {
        if (!IsIdentifierStart(Current))
        {
            throw Error($"expected a name, found {Describe()}");
        }

        var start = _pos;
        while (IsIdentifierPart(Current))
        {
            _pos++;
        }

        return Intern(_text.AsSpan(start, _pos - start));
    }

    /// <summary>The one string kept for these characters (see <see cref="_names"/>).</summary>
    private string Intern(ReadOnlySpan<char> characters)
    {
        if (!_nameLookup.TryGetValue(characters, out var name))
        {
            name = characters.ToString();
            _names.Add(name, name);
        }

        return name;
    }

    /// <summary>Spaces and comments; newlines too inside brackets.</summary>
    private void SkipSpace()
    {
        while (!AtEnd)
        {
            var c = Current;
            if (c is ' ' or '\t' || (c == '\r' && Peek(1) == '\n' && _nesting > 0) || (c == '\n' && _nesting > 0))
            {
                _pos++;
            }
            else if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && Current != '\n')
                {
                    _pos++;
                }
            }
            else if (c == '/' && Peek(1) == '*')
            {
                var end = _text.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw Error("unterminated /* comment");
                }

                _pos = end + 2;
            }
            else if (c == '\r' && Peek(1) == '\n')
            {
                _pos++;
                return;
            }
            else
            {
                return;
            }
        }
    }

    private void SkipSpaceAndNewlines()
    {
        while (true)
        {
            SkipSpace();
            if (Current is '\n' or '\r')
            {
                _pos++;
                continue;
            }

            return;
        }
    }
}
