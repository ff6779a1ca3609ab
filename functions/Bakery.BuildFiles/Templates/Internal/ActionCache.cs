using System.Text;

namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// Renders template strings by parsing each distinct action (<c>{{user `region`}}</c>) once instead of each string.
/// A large build file repeats a handful of actions thousands of times in otherwise different strings, and building a
/// parse tree per string was most of what loading it allocated (docs/benchmarks.md). Anything unusual (trim markers,
/// comments, a <c>}}</c> inside a literal, any error) takes the full parser, so results and errors are exactly those of
/// <see cref="TemplateParser.Parse"/> + <see cref="ParsedTemplate.Render"/>. One instance per load; not thread-safe.
/// </summary>
internal sealed class ActionCache
{
    // Bounded so that a file of many distinct actions keeps only this many trees alive; the rest parse as before.
    private const int MaxActions = 1024;
    private const int MaxCachedBuilderCapacity = 4096;

    [ThreadStatic]
    private static StringBuilder? t_builder;

    private readonly Dictionary<string, ActionNode?> _actions = new(StringComparer.Ordinal);

    /// <summary>Renders <paramref name="text"/>; throws what <see cref="ParsedTemplate.Render"/> would.</summary>
    /// <exception cref="TemplateException">The text is not a valid template, or an action failed.</exception>
    public string Render(string text, TemplateContext context) => Render(text.AsSpan(), context);

    /// <inheritdoc cref="Render(string, TemplateContext)"/>
    public string Render(ReadOnlySpan<char> text, TemplateContext context)
    {
        // First every action must be known to parse: the full parser reports a syntax error before evaluating anything.
        for (var position = 0; NextAction(text, ref position, out _, out var action);)
        {
            if (action is null)
            {
                return TemplateParser.Parse(text.ToString()).Render(context);
            }
        }

        var builder = t_builder ?? new StringBuilder(text.Length + 16);
        t_builder = null;
        builder.Clear();
        var evaluator = new TemplateEvaluator("", context);
        var textStart = 0;
        for (var position = 0; NextAction(text, ref position, out var open, out var action);)
        {
            builder.Append(text[textStart..open]);
            var value = Evaluate(action!, evaluator, open);
            if (value is null)
            {
                builder.Append(text[open..position]);
            }
            else
            {
                value.AppendTo(builder);
            }

            textStart = position;
        }

        builder.Append(text[textStart..]);
        var result = builder.ToString();
        if (builder.Capacity <= MaxCachedBuilderCapacity)
        {
            t_builder = builder;
        }

        return result;
    }

    /// <summary>
    /// Finds the next <c>{{ ... }}</c> from <paramref name="position"/> and moves past it; <paramref name="action"/> is null
    /// when the full parser must handle the string.
    /// </summary>
    private bool NextAction(ReadOnlySpan<char> text, ref int position, out int open, out ActionNode? action)
    {
        action = null;
        open = text[position..].IndexOf("{{");
        if (open < 0)
        {
            return false;
        }

        open += position;
        // "{{-" (trim marker or negative number) and "{{/*" (comment) are rare: left to the full parser.
        var close = open + 2 < text.Length && text[open + 2] is not ('-' or '/') ? text[(open + 2)..].IndexOf("}}") : -1;
        if (close < 0 || text[open + 2 + close - 1] == '-')
        {
            position = text.Length;
            return true;
        }

        position = open + 2 + close + 2;
        action = Find(text[open..position]);
        if (action is null)
        {
            position = text.Length;
        }

        return true;
    }

    /// <summary>
    /// The action when <paramref name="actionText"/> parses on its own as exactly one action. Then the full parser, which
    /// reads the same characters the same way, ends that action at the same <c>}}</c> with the same tree (offsets shifted).
    /// </summary>
    private ActionNode? Find(ReadOnlySpan<char> actionText)
    {
        var lookup = _actions.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(actionText, out var known))
        {
            return known;
        }

        if (_actions.Count >= MaxActions)
        {
            return null;
        }

        var source = actionText.ToString();
        ActionNode? action = null;
        try
        {
            var nodes = ActionParser.Parse(source).Nodes;
            if (nodes is [ActionNode single] && single.Start == 0 && single.End == source.Length)
            {
                action = single;
            }
        }
        catch (TemplateSyntaxException)
        {
            // The full parser reports it, with the offset into the whole string.
        }

        _actions.Add(source, action);
        return action;
    }

    private static TemplateValue? Evaluate(ActionNode action, TemplateEvaluator evaluator, int open)
    {
        try
        {
            return evaluator.EvaluateAction(action);
        }
        catch (TemplateEvaluationException exception)
        {
            // Offsets in the cached tree count from the action's "{{"; callers expect offsets into the whole string.
            throw exception.InnerException is { } inner
                ? new TemplateEvaluationException(exception.Message, open + exception.Offset, inner)
                : new TemplateEvaluationException(exception.Message, open + exception.Offset);
        }
        catch (TemplateSyntaxException exception)
        {
            throw new TemplateSyntaxException(exception.Message, open + exception.Offset);
        }
    }
}
