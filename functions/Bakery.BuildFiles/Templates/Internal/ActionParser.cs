using System.Text;
using Bakery.Hcl;
using static Bakery.BuildFiles.Templates.Internal.TemplateLexer;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// Parses a template's text into text and action nodes: Go text/template's grammar for actions, pipelines, operands
/// and comments, without control structures or variables (Packer templates rarely use them). The characters and
/// literals are <see cref="TemplateLexer"/>'s; the checks of each command's arguments are <see cref="CommandChecks"/>'.
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
        if (TemplateLexer.AtCloseDelimiter(_source, _pos, out var trimRight))
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

    private PipelineNode ParsePipeline()
    {
        var start = TemplateLexer.SkipSpaces(_source, ref _pos);
        var commands = new List<CommandNode>(1);
        while (true)
        {
            var command = ParseCommand(commands.Count);
            commands.Add(command);
            TemplateLexer.SkipSpaces(_source, ref _pos);
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
            var skipped = TemplateLexer.SkipSpaces(_source, ref _pos) != _pos || (_pos > 0 && IsSpace(_source[_pos - 1]));
            start = operands.Count == 0 ? _pos : start;
            if (_pos >= _source.Length || _source[_pos] is '|' or ')' || TemplateLexer.AtCloseDelimiter(_source, _pos, out _))
            {
                break;
            }

            if (operands.Count > 0 && !skipped)
            {
                throw new TemplateSyntaxException(
                    $"unexpected {Describe(_source[_pos])} after {CommandChecks.DescribeOperand(operands[^1])}: separate arguments with spaces",
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

        CommandChecks.Command(operands, stage);
        return new CommandNode(operands, start);
    }

    private OperandNode ParseOperand()
    {
        var start = _pos;
        var c = _source[_pos];
        OperandNode term;
        switch (c)
        {
            case '"':
                term = TemplateLexer.Quoted(_source, ref _pos, '"');
                break;
            case '\'':
                term = TemplateLexer.Quoted(_source, ref _pos, '\'');
                break;
            case '`':
                term = TemplateLexer.RawString(_source, ref _pos);
                break;
            case '(':
                term = ParseParenthesized();
                break;
            case '.' when _pos + 1 < _source.Length && IsIdentifierStart(_source[_pos + 1]):
                return ParseFieldChain(null, start);
            case '.' when _pos + 1 < _source.Length && char.IsAsciiDigit(_source[_pos + 1]):
                term = TemplateLexer.Number(_source, ref _pos);
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
                term = TemplateLexer.Number(_source, ref _pos);
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
                throw new TemplateSyntaxException($"unexpected . after {CommandChecks.DescribeOperand(term)}", _pos);
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
        if (IsSpace(c) || c is '|' or ')' || TemplateLexer.AtCloseDelimiter(_source, _pos, out _))
        {
            return;
        }

        throw new TemplateSyntaxException($"unexpected {Describe(c)} after {CommandChecks.DescribeOperand(term)}", _pos);
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
        TemplateLexer.SkipSpaces(_source, ref _pos);
        if (_pos >= _source.Length || _source[_pos] != ')')
        {
            throw new TemplateSyntaxException("unclosed left paren: ( without a matching )", open);
        }

        _pos++;
        _depth--;
        return new SubPipelineNode(pipeline, open);
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
}
