using System.Text;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// Parses a template's text into text and action nodes: Go text/template's lexer and parser for actions,
/// pipelines, operands and comments, without control structures or variables (Packer templates rarely use them).
/// </summary>
internal sealed class ActionParser
{
    private const int MaxParenDepth = 100;

    private readonly string _source;
    private readonly List<TemplateNode> _nodes = [];
    // Created on first use: most templates read no fields, and parsing thousands of strings per build file adds up.
    private List<string>? _functions;
    private List<string>? _fields;
    private int _pos;
    private int _depth;
    private int _actionOpen;
    private bool _actionUsesBuildTimeData;
    private bool _usesBuildTimeData;

    private ActionParser(string source)
    {
        _source = source;
    }

    public static ParsedTemplate Parse(string text)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return new ParsedTemplate(text, [new TextNode(text)], [], [], false);
        }

        return new ActionParser(text).ParseTemplate();
    }

    private ParsedTemplate ParseTemplate()
    {
        var trimNextText = false;
        while (true)
        {
            var open = _source.IndexOf("{{", _pos, StringComparison.Ordinal);
            var textEnd = open < 0 ? _source.Length : open;
            var trimLeft = open >= 0 && open + 3 < _source.Length && _source[open + 2] == '-' && IsSpace(_source[open + 3]);
            AddText(_pos, textEnd, trimNextText, trimLeft);
            if (open < 0)
            {
                break;
            }

            _pos = open + (trimLeft ? 4 : 2);
            if (_source.AsSpan(_pos).StartsWith("/*"))
            {
                trimNextText = ParseComment(open);
                continue;
            }

            _actionUsesBuildTimeData = false;
            _actionOpen = open;
            var pipeline = ParsePipeline();
            trimNextText = ExpectActionEnd(open);
            _nodes.Add(new ActionNode(pipeline, open, _pos, _actionUsesBuildTimeData));
            _usesBuildTimeData |= _actionUsesBuildTimeData;
        }

        return new ParsedTemplate(_source, [.. _nodes], (IReadOnlyList<string>?)_functions ?? [], (IReadOnlyList<string>?)_fields ?? [], _usesBuildTimeData);
    }

    private void AddText(int start, int end, bool trimStart, bool trimEnd)
    {
        if (trimStart)
        {
            while (start < end && IsSpace(_source[start]))
            {
                start++;
            }
        }

        if (trimEnd)
        {
            while (end > start && IsSpace(_source[end - 1]))
            {
                end--;
            }
        }

        if (end > start)
        {
            _nodes.Add(new TextNode(start == 0 && end == _source.Length ? _source : _source[start..end]));
        }
    }

    /// <summary>Skips <c>/* ... */</c> and the closing delimiter; returns whether the next text is trimmed.</summary>
    private bool ParseComment(int open)
    {
        var close = _source.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            throw new TemplateSyntaxException("unclosed comment: /* without */", _pos);
        }

        _pos = close + 2;
        if (_source.AsSpan(_pos).StartsWith("}}"))
        {
            _pos += 2;
            return false;
        }

        if (_pos + 4 <= _source.Length && IsSpace(_source[_pos]) && _source.AsSpan(_pos + 1).StartsWith("-}}"))
        {
            _pos += 4;
            return true;
        }

        _ = open;
        throw new TemplateSyntaxException("comment ends before closing delimiter: write {{/* comment */}} with nothing between */ and }}", _pos);
    }

    /// <summary>After a pipeline: expects <c>}}</c> or <c> -}}</c>; returns whether the next text is trimmed.</summary>
    private bool ExpectActionEnd(int open)
    {
        if (AtCloseDelimiter(out var trimRight))
        {
            _pos += trimRight ? 3 : 2;
            return trimRight;
        }

        if (_pos >= _source.Length)
        {
            throw new TemplateSyntaxException("unclosed action: {{ without a matching }}", open);
        }

        if (_source[_pos] == ')')
        {
            throw new TemplateSyntaxException("unexpected ) in action: no matching (", _pos);
        }

        throw new TemplateSyntaxException($"unexpected {Describe(_source[_pos])} in action", _pos);
    }

    private bool AtCloseDelimiter(out bool trimRight)
    {
        trimRight = false;
        var rest = _source.AsSpan(_pos);
        if (rest.StartsWith("}}"))
        {
            return true;
        }

        if (rest.StartsWith("-}}") && _pos > 0 && IsSpace(_source[_pos - 1]))
        {
            trimRight = true;
            return true;
        }

        return false;
    }

    private PipelineNode ParsePipeline()
    {
        var start = SkipSpaces();
        var commands = new List<CommandNode>(1);
        while (true)
        {
            var command = ParseCommand(commands.Count);
            commands.Add(command);
            SkipSpaces();
            if (_pos < _source.Length && _source[_pos] == '|')
            {
                _pos++;
                continue;
            }

            return new PipelineNode(commands, start);
        }
    }

    private CommandNode ParseCommand(int stage)
    {
        var operands = new List<OperandNode>(2);
        var start = _pos;
        while (true)
        {
            var skipped = SkipSpaces() != _pos || (_pos > 0 && IsSpace(_source[_pos - 1]));
            start = operands.Count == 0 ? _pos : start;
            if (_pos >= _source.Length || _source[_pos] is '|' or ')' || AtCloseDelimiter(out _))
            {
                break;
            }

            if (operands.Count > 0 && !skipped)
            {
                throw new TemplateSyntaxException(
                    $"unexpected {Describe(_source[_pos])} after {DescribeOperand(operands[^1])}: separate arguments with spaces",
                    _pos);
            }

            operands.Add(ParseOperand());
        }

        if (_pos >= _source.Length)
        {
            throw new TemplateSyntaxException("unclosed action: {{ without a matching }}", _actionOpen);
        }

        if (operands.Count == 0)
        {
            throw new TemplateSyntaxException(
                stage == 0 ? "missing value for command: the action is empty" : "missing command after |",
                _pos < _source.Length ? _pos : start);
        }

        CheckCommand(operands, stage);
        return new CommandNode(operands, start);
    }

    /// <summary>Go checks these at run time; they are properties of the text, so they are syntax errors here.</summary>
    private void CheckCommand(List<OperandNode> operands, int stage)
    {
        var first = operands[0];
        if (first is FunctionNode function)
        {
            var count = operands.Count - 1 + (stage > 0 ? 1 : 0);
            CheckArgumentCount(function, count);
            for (var i = 1; i < operands.Count; i++)
            {
                operands[i] = CheckLiteralArgument(function.Function, i - 1, operands[i]);
            }
        }
        else if (first is LiteralNode { Value.IsNil: true })
        {
            throw new TemplateSyntaxException("nil is not a command", first.Offset);
        }
        else if (stage > 0)
        {
            throw new TemplateSyntaxException(
                $"{DescribeOperand(first)} cannot receive a piped value (pipeline stage {stage + 1} must be a function)",
                first.Offset);
        }
        else if (operands.Count > 1)
        {
            throw new TemplateSyntaxException(
                $"can't give argument to non-function {DescribeOperand(first)}",
                operands[1].Offset);
        }

        // A function name used as an argument is called with no arguments, as in Go.
        for (var i = 1; i < operands.Count; i++)
        {
            if (operands[i] is FunctionNode argument)
            {
                CheckArgumentCount(argument, 0);
            }
            else if (operands[i] is FieldNode { Receiver: FunctionNode receiver })
            {
                CheckArgumentCount(receiver, 0);
            }
        }
    }

    private static void CheckArgumentCount(FunctionNode function, int count)
    {
        var definition = function.Function;
        if (count >= definition.MinArguments && count <= definition.MaxArguments)
        {
            return;
        }

        string want;
        if (definition.MinArguments == definition.MaxArguments)
        {
            want = Plural(definition.MinArguments, "argument");
        }
        else if (definition.MaxArguments == int.MaxValue)
        {
            want = $"at least {Plural(definition.MinArguments, "argument")}";
        }
        else
        {
            want = $"{definition.MinArguments} to {definition.MaxArguments} arguments";
        }

        throw new TemplateSyntaxException(
            $"wrong number of arguments for {definition.Name}: it takes {want}, got {count}" +
            (definition.Usage is null ? "" : $" (usage: {definition.Usage})"),
            function.Offset);
    }

    private static OperandNode CheckLiteralArgument(TemplateFunction function, int index, OperandNode operand)
    {
        if (operand is not LiteralNode literal)
        {
            return operand;
        }

        var expected = function.ParameterAt(index);
        if (expected == ParameterType.String && literal.Value.Kind != TemplateValueKind.String)
        {
            throw new TemplateSyntaxException(
                $"{function.Name} expects a string as argument {index + 1}, found {literal.Text} (quote it: \"...\" or `...`)",
                literal.Offset);
        }

        if (expected == ParameterType.Integer)
        {
            if (!literal.IsWholeNumber)
            {
                throw new TemplateSyntaxException(
                    $"{function.Name} expects an integer as argument {index + 1}, found {literal.Text}",
                    literal.Offset);
            }

            if (literal.Value.Kind == TemplateValueKind.Float)
            {
                return new LiteralNode(TemplateValue.FromInteger((long)literal.Value.AsFloat), literal.Text, literal.Offset);
            }
        }

        return operand;
    }

    private OperandNode ParseOperand()
    {
        var start = _pos;
        var c = _source[_pos];
        OperandNode term;
        switch (c)
        {
            case '"':
                term = ParseQuoted('"');
                break;
            case '\'':
                term = ParseQuoted('\'');
                break;
            case '`':
                term = ParseRawString();
                break;
            case '(':
                term = ParseParenthesized();
                break;
            case '.' when _pos + 1 < _source.Length && IsIdentifierStart(_source[_pos + 1]):
                return ParseFieldChain(null, start);
            case '.' when _pos + 1 < _source.Length && char.IsAsciiDigit(_source[_pos + 1]):
                term = ParseNumber();
                break;
            case '.':
                _pos++;
                term = new FieldNode(null, [], start);
                _actionUsesBuildTimeData = true;
                break;
            case '$':
                throw new TemplateSyntaxException(
                    "template variables ($name) are not supported in Bakery templates; use {{ user `name` }} for build file variables",
                    start);
            case '+' or '-' or (>= '0' and <= '9'):
                term = ParseNumber();
                break;
            case ':' or '=':
                throw new TemplateSyntaxException("variable declarations (:= and =) are not supported in Bakery templates", start);
            default:
                if (!IsIdentifierStart(c))
                {
                    throw new TemplateSyntaxException($"unexpected {Describe(c)} in action", start);
                }

                term = ParseIdentifier();
                break;
        }

        if (_pos < _source.Length && _source[_pos] == '.' && _pos + 1 < _source.Length && IsIdentifierStart(_source[_pos + 1]))
        {
            if (term is LiteralNode or FieldNode)
            {
                throw new TemplateSyntaxException($"unexpected . after {DescribeOperand(term)}", _pos);
            }

            return ParseFieldChain(term, start);
        }

        CheckTerminator(term);
        return term;
    }

    private void CheckTerminator(OperandNode term)
    {
        if (_pos >= _source.Length)
        {
            return;
        }

        var c = _source[_pos];
        if (IsSpace(c) || c is '|' or ')' || AtCloseDelimiter(out _))
        {
            return;
        }

        throw new TemplateSyntaxException($"unexpected {Describe(c)} after {DescribeOperand(term)}", _pos);
    }

    private FieldNode ParseFieldChain(OperandNode? receiver, int start)
    {
        var path = new List<string>(2);
        while (_pos < _source.Length && _source[_pos] == '.' && _pos + 1 < _source.Length && IsIdentifierStart(_source[_pos + 1]))
        {
            _pos++;
            var nameStart = _pos;
            while (_pos < _source.Length && IsIdentifierPart(_source[_pos]))
            {
                _pos++;
            }

            path.Add(_source[nameStart.._pos]);
        }

        if (_pos < _source.Length && _source[_pos] == '.')
        {
            throw new TemplateSyntaxException("a field name must follow '.'", _pos);
        }

        var field = new FieldNode(receiver, path, start);
        if (receiver is null)
        {
            _actionUsesBuildTimeData = true;
            _fields ??= [];
            if (!_fields.Contains(path[0]))
            {
                _fields.Add(path[0]);
            }
        }

        CheckTerminator(field);
        return field;
    }

    private SubPipelineNode ParseParenthesized()
    {
        var open = _pos;
        if (++_depth > MaxParenDepth)
        {
            throw new TemplateSyntaxException($"parentheses nested deeper than {MaxParenDepth}", open);
        }

        _pos++;
        var pipeline = ParsePipeline();
        SkipSpaces();
        if (_pos >= _source.Length || _source[_pos] != ')')
        {
            throw new TemplateSyntaxException("unclosed left paren: ( without a matching )", open);
        }

        _pos++;
        _depth--;
        return new SubPipelineNode(pipeline, open);
    }

    private LiteralNode ParseQuoted(char quote)
    {
        var open = _pos;
        var i = _pos + 1;
        while (true)
        {
            if (i >= _source.Length || _source[i] == '\n')
            {
                throw new TemplateSyntaxException(
                    quote == '"' ? "unterminated quoted string" : "unterminated character constant",
                    open);
            }

            var c = _source[i];
            if (c == '\\' && i + 1 < _source.Length && _source[i + 1] != '\n')
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

        _pos = i + 1;
        var body = _source.AsSpan(open + 1, i - open - 1);
        if (quote == '"')
        {
            return new LiteralNode(TemplateValue.FromString(GoLiterals.UnquoteEscapes(body, open + 1, quote)), _source, open, _pos - open);
        }

        // A character constant is its code point, as in Go ('a' is 97).
        return new LiteralNode(TemplateValue.FromInteger(GoLiterals.ParseCharConstant(body, open)), _source, open, _pos - open);
    }

    private LiteralNode ParseRawString()
    {
        var open = _pos;
        var close = _source.IndexOf('`', open + 1);
        if (close < 0)
        {
            throw new TemplateSyntaxException("unterminated raw string: ` without a closing `", open);
        }

        _pos = close + 1;
        var body = _source[(open + 1)..close];
        if (body.Contains('\r', StringComparison.Ordinal))
        {
            body = body.Replace("\r", "", StringComparison.Ordinal);
        }

        return new LiteralNode(TemplateValue.FromString(body), _source, open, _pos - open);
    }

    private LiteralNode ParseNumber()
    {
        var start = _pos;
        var i = _pos;
        if (_source[i] is '+' or '-')
        {
            i++;
        }

        // Go's scanNumber: digits, letters, '_', '.', and a sign right after an exponent marker.
        while (i < _source.Length)
        {
            var c = _source[i];
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.')
            {
                i++;
            }
            else if (c is '+' or '-' && i > start && _source[i - 1] is 'e' or 'E' or 'p' or 'P' && !IsHexPrefixed(start, i))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        _pos = i;
        var text = _source[start..i];
        if (text.EndsWith('i'))
        {
            throw new TemplateSyntaxException($"complex number {text} is not supported", start);
        }

        var value = GoLiterals.ParseNumber(text)
            ?? throw new TemplateSyntaxException($"bad number syntax: {text}", start);
        return new LiteralNode(value, text, start);
    }

    private bool IsHexPrefixed(int start, int end)
    {
        var span = _source.AsSpan(start, end - start).TrimStart("+-");
        return span.Length > 1 && span[0] == '0' && span[1] is 'x' or 'X';
    }

    private OperandNode ParseIdentifier()
    {
        var start = _pos;
        while (_pos < _source.Length && IsIdentifierPart(_source[_pos]))
        {
            _pos++;
        }

        var name = _source.AsSpan(start, _pos - start);
        switch (name)
        {
            case "true":
                return new LiteralNode(TemplateValue.True, "true", start);
            case "false":
                return new LiteralNode(TemplateValue.False, "false", start);
            case "nil":
                return new LiteralNode(TemplateValue.Nil, "nil", start);
            case "if" or "else" or "end" or "range" or "with" or "define" or "template" or "block" or "break" or "continue":
                throw new TemplateSyntaxException(
                    $"{{{{{name}}}}} is not supported: Bakery templates have no control structures " +
                    "(if, else, range, with, define, template, block); compute the value in a variable instead",
                    start);
        }

        var function = TemplateFunctions.Find(name) ?? throw UnknownFunction(name.ToString(), start);
        _functions ??= [];
        if (!_functions.Contains(function.Name))
        {
            _functions.Add(function.Name);
        }

        _actionUsesBuildTimeData |= function.UsesBuildTimeData;
        return new FunctionNode(function, start);
    }

    private static TemplateSyntaxException UnknownFunction(string name, int offset)
    {
        if (TemplateFunctions.Renamed.TryGetValue(name, out var replacement))
        {
            return new TemplateSyntaxException(
                $"function \"{name}\" is not defined: Packer renamed it to \"{replacement}\"",
                offset);
        }

        var suggestion = Suggestions.Closest(name, TemplateFunctions.Names);
        return new TemplateSyntaxException(
            $"function \"{name}\" is not defined" + (suggestion is null ? "" : $"; did you mean \"{suggestion}\"?"),
            offset);
    }

    /// <summary>Skips spaces; returns the position before skipping.</summary>
    private int SkipSpaces()
    {
        var before = _pos;
        while (_pos < _source.Length && IsSpace(_source[_pos]))
        {
            _pos++;
        }

        return before;
    }

    /// <summary>Go's text/template whitespace: space, tab, carriage return, newline.</summary>
    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsIdentifierStart(char c) => c == '_' || char.IsLetter(c);

    private static bool IsIdentifierPart(char c) => c == '_' || char.IsLetterOrDigit(c);

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Describe(char c) => c switch
    {
        '\n' => "newline",
        _ when char.IsControl(c) => $"character U+{(int)c:X4}",
        _ => $"'{c}'",
    };

    private static string DescribeOperand(OperandNode operand) => operand switch
    {
        LiteralNode literal => literal.Text,
        FieldNode { Receiver: null } field => field.Path.Count == 0 ? "." : field.DisplayName,
        FieldNode field => "(...)" + field.DisplayName,
        FunctionNode function => function.Function.Name,
        _ => "(...)",
    };
}
