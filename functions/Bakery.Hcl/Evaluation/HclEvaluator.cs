using System.Text;
using Bakery.Hcl.Syntax;

namespace Bakery.Hcl.Evaluation;

/// <summary>
/// Evaluates HCL expressions to values, following hclsyntax's rules: a template that is one interpolation keeps the
/// value's type, operators convert strings to numbers or bools where cty would, splats turn a non-list into a one-item
/// list, <c>try</c>/<c>can</c> see errors rather than values. Errors are <see cref="HclException"/>s at the failing place.
/// </summary>
public static class HclEvaluator
{
    public static HclValue Evaluate(HclExpression expression, HclContext context)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(context);
        return Eval(expression, context, null);
    }

    private static HclValue Eval(HclExpression expression, HclContext context, HclValue? splatItem)
    {
        switch (expression)
        {
            case HclLiteral literal:
                return literal.Value;
            case HclParentheses parentheses:
                return Eval(parentheses.Inner, context, splatItem);
            case HclTemplate template:
                if (template.Parts is [HclTemplateInterpolation only] && !template.IsHeredoc)
                {
                    return Eval(only.Expression, context, splatItem);
                }

                if (template.Parts is [HclTemplateText text])
                {
                    // Plain text (most strings): the parsed text is the value, no copy.
                    return HclValue.String(text.Text);
                }

                return HclValue.String(RenderToString(template.Parts, context));
            case HclVariable variable:
                if (context.TryGetVariable(variable.Name, out var value))
                {
                    return value;
                }

                throw new HclException(variable.Position, $"unknown variable \"{variable.Name}\"",
                    Suggestions.Closest(variable.Name, context.VariableNames.Distinct(StringComparer.Ordinal)));
            case HclSplatItem item:
                return splatItem ?? throw new HclException(item.Position, "a splat item outside a splat");
            case HclGetAttribute get:
                return GetAttribute(Eval(get.Target, context, splatItem), get.Name, get.Position, Describe(get.Target));
            case HclIndex index:
                return Index(Eval(index.Target, context, splatItem), Eval(index.Key, context, splatItem), index.Position);
            case HclSplat splat:
                {
                    var source = Eval(splat.Source, context, splatItem);
                    if (source.IsNull)
                    {
                        return HclValue.EmptyList;
                    }

                    if (source.Kind != HclValueKind.List)
                    {
                        return HclValue.List([Eval(splat.Each, context, source)]);
                    }

                    var results = new HclValue[source.Items.Count];
                    for (var i = 0; i < results.Length; i++)
                    {
                        results[i] = Eval(splat.Each, context, source.Items[i]);
                    }

                    return HclValue.ListOwning(results);
                }

            case HclFunctionCall call:
                return Call(call, context, splatItem);
            case HclTuple tuple:
                {
                    var items = new HclValue[tuple.Items.Count];
                    for (var i = 0; i < items.Length; i++)
                    {
                        items[i] = Eval(tuple.Items[i], context, splatItem);
                    }

                    return HclValue.ListOwning(items);
                }

            case HclObject obj:
                {
                    var fields = new List<KeyValuePair<string, HclValue>>();
                    foreach (var (keyExpression, valueExpression) in obj.Items)
                    {
                        var key = Eval(keyExpression, context, splatItem);
                        var name = Wrap(keyExpression.Position, key, static key => HclConvert.ToStringValue(key, "an object key"));
                        fields.Add(new(name, Eval(valueExpression, context, splatItem)));
                    }

                    return HclValue.Object(fields);
                }

            case HclUnary unary:
                {
                    var operand = Eval(unary.Operand, context, splatItem);
                    return unary.Operator == "!"
                        ? HclValue.Bool(!Wrap(unary.Position, operand, static operand => HclConvert.ToBool(operand, "the operand of !")))
                        : HclValue.Number(-Wrap(unary.Position, operand, static operand => HclConvert.ToNumber(operand, "the operand of -")));
                }

            case HclBinary binary:
                return Binary(binary, context, splatItem);
            case HclConditional conditional:
                {
                    var condition = Eval(conditional.Condition, context, splatItem);
                    var chosen = Wrap(conditional.Position, condition, static condition => HclConvert.ToBool(condition, "the condition"));
                    return Eval(chosen ? conditional.Then : conditional.Else, context, splatItem);
                }

            case HclFor loop:
                return For(loop, context, splatItem);
            default:
                throw new HclException(expression.Position, $"cannot evaluate {expression.GetType().Name}");
        }
    }

    private static HclValue Binary(HclBinary binary, HclContext context, HclValue? splatItem)
    {
        var left = Eval(binary.Left, context, splatItem);
        // && and || evaluate both sides in HCL (no short circuit); an unknown side is an error either way.
        var right = Eval(binary.Right, context, splatItem);
        return Wrap(binary.Position, (binary.Operator, left, right), static operation =>
        {
            var (op, left, right) = operation;
            switch (op)
            {
                case "==": return HclValue.Bool(left.Equals(right));
                case "!=": return HclValue.Bool(!left.Equals(right));
                case "&&": return HclValue.Bool(HclConvert.ToBool(left, "the left side of &&") & HclConvert.ToBool(right, "the right side of &&"));
                case "||": return HclValue.Bool(HclConvert.ToBool(left, "the left side of ||") | HclConvert.ToBool(right, "the right side of ||"));
            }

            var a = HclConvert.ToNumber(left, $"the left side of {op}");
            var b = HclConvert.ToNumber(right, $"the right side of {op}");
            return op switch
            {
                "+" => HclValue.Number(a + b),
                "-" => HclValue.Number(a - b),
                "*" => HclValue.Number(a * b),
                "/" => b == 0 ? throw new HclFunctionException("division by zero") : HclValue.Number(a / b),
                "%" => b == 0 ? throw new HclFunctionException("modulo by zero") : HclValue.Number(Math.IEEERemainder(a, b) is var r && r != 0 && Math.Sign(r) != Math.Sign(a) ? r + (Math.Sign(a) * Math.Abs(b)) : r),
                "<" => HclValue.Bool(a < b),
                "<=" => HclValue.Bool(a <= b),
                ">" => HclValue.Bool(a > b),
                ">=" => HclValue.Bool(a >= b),
                _ => throw new HclFunctionException($"unknown operator {op}"),
            };
        });
    }

    private static HclValue For(HclFor loop, HclContext context, HclValue? splatItem)
    {
        var collection = Eval(loop.Collection, context, splatItem);
        if (collection.Kind is not (HclValueKind.List or HclValueKind.Object))
        {
            throw new HclException(loop.Collection.Position, $"a for expression needs a list, set, map or object, not {HclConvert.Describe(collection)}");
        }

        var list = new List<HclValue>();
        var groups = new Dictionary<string, List<HclValue>>(StringComparer.Ordinal);
        var fields = new Dictionary<string, HclValue>(StringComparer.Ordinal);
        var inner = context.ForLoop(loop.ValueName, loop.KeyName);
        var hasKey = loop.KeyName is not null;
        var count = collection.Kind == HclValueKind.List ? collection.Items.Count : collection.Fields.Count;
        using var fieldEnumerator = collection.Kind == HclValueKind.Object ? collection.Fields.GetEnumerator() : null;
        for (var i = 0; i < count; i++)
        {
            if (fieldEnumerator is null)
            {
                inner.SetLoopItem(hasKey, hasKey ? HclValue.Number(i) : null, collection.Items[i]);
            }
            else
            {
                fieldEnumerator.MoveNext();
                var (fieldName, field) = fieldEnumerator.Current;
                inner.SetLoopItem(hasKey, hasKey ? HclValue.String(fieldName) : null, field);
            }

            if (loop.Condition is not null)
            {
                var keep = Eval(loop.Condition, inner, splatItem);
                if (!Wrap(loop.Condition.Position, keep, static keep => HclConvert.ToBool(keep, "the for expression's condition")))
                {
                    continue;
                }
            }

            var result = Eval(loop.ValueResult, inner, splatItem);
            if (loop.KeyResult is null)
            {
                list.Add(result);
                continue;
            }

            var keyValue = Eval(loop.KeyResult, inner, splatItem);
            var name = Wrap(loop.KeyResult.Position, keyValue, static keyValue => HclConvert.ToStringValue(keyValue, "the for expression's key"));
            if (loop.Group)
            {
                if (!groups.TryGetValue(name, out var group))
                {
                    groups[name] = group = [];
                }

                group.Add(result);
            }
            else if (!fields.TryAdd(name, result))
            {
                throw new HclException(loop.KeyResult.Position, $"duplicate key \"{name}\" in the for expression; add '...' after the value to group them");
            }
        }

        return loop.KeyResult is null ? HclValue.List(list)
            : loop.Group ? HclValue.Object(groups.Select(g => new KeyValuePair<string, HclValue>(g.Key, HclValue.List(g.Value))))
            : HclValue.Object(fields);
    }

    /// <summary>
    /// A template rendered with this thread's spare builder: a new builder per template (its growing chunks and the
    /// copy made by <c>ToString</c>) was 6 % of what a 1 MB template allocates (docs/benchmarks.md 1b). A template
    /// rendered inside another (an interpolation holding a template) finds no spare and takes a new one.
    /// </summary>
    private static string RenderToString(IReadOnlyList<HclTemplatePart> parts, HclContext context)
    {
        var builder = t_spareBuilder ?? new StringBuilder();
        t_spareBuilder = null;
        Render(parts, context, builder);
        var text = builder.ToString();
        if (builder.Capacity <= MaxSpareBuilderCapacity)
        {
            builder.Clear();
            t_spareBuilder = builder;
        }

        return text;
    }

    /// <summary>A spare builder larger than this (a big heredoc) is dropped rather than kept alive for the thread's life.</summary>
    private const int MaxSpareBuilderCapacity = 4096;

    [ThreadStatic]
    private static StringBuilder? t_spareBuilder;

    private static void Render(IReadOnlyList<HclTemplatePart> parts, HclContext context, StringBuilder builder)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            switch (parts[i])
            {
                case HclTemplateText text:
                    builder.Append(text.Text);
                    break;
                case HclTemplateInterpolation interpolation:
                    {
                        var value = Eval(interpolation.Expression, context, null);
                        builder.Append(Wrap(interpolation.Expression.Position, value, static value => HclConvert.ToStringValue(value, "the interpolated value")));
                        break;
                    }

                case HclTemplateIf conditional:
                    {
                        var condition = Eval(conditional.Condition, context, null);
                        var chosen = Wrap(conditional.Condition.Position, condition, static condition => HclConvert.ToBool(condition, "the %{ if } condition"));
                        Render(chosen ? conditional.Then : conditional.Else, context, builder);
                        break;
                    }

                case HclTemplateFor loop:
                    {
                        var collection = Eval(loop.Collection, context, null);
                        var hasKey = loop.KeyName is not null;
                        if (collection.Kind == HclValueKind.List)
                        {
                            var inner = context.ForLoop(loop.ValueName, loop.KeyName);
                            var items = collection.Items;
                            for (var item = 0; item < items.Count; item++)
                            {
                                inner.SetLoopItem(hasKey, hasKey ? HclValue.Number(item) : null, items[item]);
                                Render(loop.Body, inner, builder);
                            }
                        }
                        else if (collection.Kind == HclValueKind.Object)
                        {
                            var inner = context.ForLoop(loop.ValueName, loop.KeyName);
                            foreach (var (key, value) in collection.Fields)
                            {
                                inner.SetLoopItem(hasKey, hasKey ? HclValue.String(key) : null, value);
                                Render(loop.Body, inner, builder);
                            }
                        }
                        else
                        {
                            throw new HclException(loop.Collection.Position, $"%{{ for }} needs a list, set, map or object, not {HclConvert.Describe(collection)}");
                        }

                        break;
                    }
            }
        }
    }

    private static HclValue GetAttribute(HclValue target, string name, HclPosition position, string targetName)
    {
        if (target.Kind == HclValueKind.Object)
        {
            if (target.Fields.TryGetValue(name, out var value))
            {
                return value;
            }

            throw new HclException(position, $"{targetName} has no attribute \"{name}\"", Suggestions.Closest(name, target.Fields.Keys));
        }

        if (target.IsNull)
        {
            throw new HclException(position, $"{targetName} is null: it has no attribute \"{name}\"");
        }

        throw new HclException(position, $"{targetName} is a {target.TypeName}: it has no attributes (\"{name}\")");
    }

    private static HclValue Index(HclValue target, HclValue key, HclPosition position)
    {
        return Wrap(position, (target, key), static indexing =>
        {
            var (target, key) = indexing;
            switch (target.Kind)
            {
                case HclValueKind.List:
                    {
                        var number = HclConvert.ToNumber(key, "the index");
                        if (number != Math.Floor(number) || number < 0 || number >= target.Items.Count)
                        {
                            throw new HclFunctionException($"index {HclValue.FormatNumber(number)} is out of range for a list of {target.Items.Count}");
                        }

                        return target.Items[(int)number];
                    }

                case HclValueKind.Object:
                    {
                        var name = HclConvert.ToStringValue(key, "the key");
                        return target.Fields.TryGetValue(name, out var value) ? value : throw new HclFunctionException($"no key \"{name}\" in the map");
                    }

                default:
                    throw new HclFunctionException($"{HclConvert.Describe(target)} cannot be indexed");
            }
        });
    }

    private static HclValue Call(HclFunctionCall call, HclContext context, HclValue? splatItem)
    {
        if (call.Name is "try" or "can")
        {
            return TryOrCan(call, context, splatItem);
        }

        if (!context.Functions.TryGet(call.Name, out var function))
        {
            throw new HclException(call.Position, $"there is no function named \"{call.Name}\"", Suggestions.Closest(call.Name, context.Functions.Names));
        }

        if (!call.ExpandLast)
        {
            // The usual call: the arguments in an array of their count, not a list (and its array) per call.
            var values = call.Arguments.Count == 0 ? [] : new HclValue[call.Arguments.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Eval(call.Arguments[i], context, splatItem);
            }

            return Invoke(call, function, values);
        }

        var arguments = new List<HclValue>(call.Arguments.Count);
        for (var i = 0; i < call.Arguments.Count; i++)
        {
            var argument = Eval(call.Arguments[i], context, splatItem);
            if (call.ExpandLast && i == call.Arguments.Count - 1)
            {
                if (argument.Kind != HclValueKind.List)
                {
                    throw new HclException(call.Arguments[i].Position, $"'...' needs a list or tuple, not {HclConvert.Describe(argument)}");
                }

                arguments.AddRange(argument.Items);
            }
            else
            {
                arguments.Add(argument);
            }
        }

        return Invoke(call, function, arguments);
    }

    private static HclValue Invoke(HclFunctionCall call, Func<IReadOnlyList<HclValue>, HclValue> function, IReadOnlyList<HclValue> arguments)
    {
        try
        {
            return function(arguments);
        }
        catch (HclFunctionException exception)
        {
            throw new HclException(call.Position, $"{call.Name}(): {exception.Message}");
        }
    }

    private static HclValue TryOrCan(HclFunctionCall call, HclContext context, HclValue? splatItem)
    {
        if (call.Name == "can" && call.Arguments.Count != 1)
        {
            throw new HclException(call.Position, "can() takes exactly one argument");
        }

        if (call.Arguments.Count == 0)
        {
            throw new HclException(call.Position, "try() needs at least one argument");
        }

        var errors = new List<string>();
        foreach (var argument in call.Arguments)
        {
            try
            {
                var value = Eval(argument, context, splatItem);
                return call.Name == "can" ? HclValue.True : value;
            }
            catch (HclException exception)
            {
                errors.Add(exception.Detail);
            }
        }

        return call.Name == "can" ? HclValue.False
            : throw new HclException(call.Position, $"try(): no argument could be evaluated: {string.Join("; ", errors)}");
    }

    /// <summary>
    /// <paramref name="action"/> on <paramref name="state"/>, its <see cref="HclFunctionException"/> reported at
    /// <paramref name="position"/>. The state is passed in (the lambdas are static) so that evaluating allocates no closure.
    /// </summary>
    private static T Wrap<TState, T>(HclPosition position, TState state, Func<TState, T> action)
    {
        try
        {
            return action(state);
        }
        catch (HclFunctionException exception)
        {
            throw new HclException(position, exception.Message);
        }
    }

    private static string Describe(HclExpression expression) => expression switch
    {
        HclVariable variable => variable.Name,
        HclGetAttribute get => $"{Describe(get.Target)}.{get.Name}",
        _ => "the value",
    };
}
