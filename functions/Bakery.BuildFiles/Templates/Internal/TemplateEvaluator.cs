namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// Evaluates actions of one template against one context. A null result means "deferred": the action needs
/// build-time data that is not known yet and <see cref="TemplateContext.DeferBuildTimeData"/> is on.
/// </summary>
internal sealed class TemplateEvaluator(string source, TemplateContext context)
{
    public string Source { get; } = source;

    public TemplateContext Context { get; } = context;

    public TemplateValue? EvaluateAction(ActionNode action) => EvaluatePipeline(action.Pipeline);

    public TemplateEvaluationException Error(string message, int offset) => new(message, offset);

    private TemplateValue? EvaluatePipeline(PipelineNode pipeline)
    {
        TemplateValue? piped = null;
        var commands = pipeline.Commands;
        for (var i = 0; i < commands.Count; i++)
        {
            piped = EvaluateCommand(commands[i], piped);
            if (piped is null)
            {
                return null;
            }
        }

        return piped;
    }

    private TemplateValue? EvaluateCommand(CommandNode command, TemplateValue? piped)
    {
        var operands = command.Operands;
        if (operands[0] is not FunctionNode function)
        {
            // The parser allows neither arguments nor a piped value here.
            return EvaluateOperand(operands[0]);
        }

        var definition = function.Function;
        var arguments = new TemplateValue[operands.Count - 1 + (piped is null ? 0 : 1)];
        for (var i = 1; i < operands.Count; i++)
        {
            var value = EvaluateOperand(operands[i]);
            if (value is null)
            {
                return null;
            }

            CheckType(definition, i - 1, value, operands[i].Offset);
            arguments[i - 1] = value;
        }

        if (piped is not null)
        {
            CheckType(definition, arguments.Length - 1, piped, function.Offset);
            arguments[^1] = piped;
        }

        return Call(function, arguments);
    }

    private TemplateValue? Call(FunctionNode function, TemplateValue[] arguments)
    {
        try
        {
            return function.Function.Body(arguments, this, function.Offset);
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new TemplateEvaluationException($"error calling {function.Function.Name}: {exception.Message}", function.Offset, exception);
        }
    }

    private TemplateValue? EvaluateOperand(OperandNode operand) => operand switch
    {
        LiteralNode literal => literal.Value,
        FieldNode field => EvaluateField(field),
        FunctionNode function => Call(function, []),
        SubPipelineNode sub => EvaluatePipeline(sub.Pipeline),
        _ => throw new InvalidOperationException($"unknown operand {operand.GetType().Name}"),
    };

    private TemplateValue? EvaluateField(FieldNode field)
    {
        TemplateValue current;
        var path = field.Path;
        var index = 0;
        if (field.Receiver is not null)
        {
            var receiver = EvaluateOperand(field.Receiver);
            if (receiver is null)
            {
                return null;
            }

            current = receiver;
        }
        else
        {
            var data = Context.Data;
            if (path.Count == 0)
            {
                return data is null ? (Context.DeferBuildTimeData ? null : TemplateValue.Nil) : TemplateValue.FromMap(data);
            }

            if (data is null || !data.TryGetValue(path[0], out var root))
            {
                if (Context.DeferBuildTimeData)
                {
                    return null;
                }

                throw Error(
                    $"{{{{ .{path[0]} }}}} is not available here: it is build-time data, known only in the build step that produces it",
                    field.Offset);
            }

            current = root;
            index = 1;
        }

        for (; index < path.Count; index++)
        {
            var name = path[index];
            if (current.AsMap is { } map)
            {
                // Go yields the zero value for a missing map key; text/template prints it as "<no value>".
                current = map.TryGetValue(name, out var next) ? next : TemplateValue.Nil;
            }
            else if (current.IsNil)
            {
                throw Error($"nil value evaluating {field.DisplayName}: no field {name} in nothing", field.Offset);
            }
            else
            {
                throw Error($"can't evaluate field {name} in type {GoTypeName(current)}", field.Offset);
            }
        }

        return current;
    }

    private void CheckType(TemplateFunction function, int index, TemplateValue value, int offset)
    {
        var expected = function.ParameterAt(index);
        var ok = expected switch
        {
            ParameterType.String => value.Kind == TemplateValueKind.String,
            ParameterType.Integer => value.Kind == TemplateValueKind.Integer,
            _ => true,
        };
        if (!ok)
        {
            var name = expected == ParameterType.String ? "string" : "int";
            throw Error(
                $"wrong type for value: {function.Name} expects {name} as argument {index + 1}, got {GoTypeName(value)}",
                offset);
        }
    }

    /// <summary>The Go type name of a value, for messages that match Go's.</summary>
    public static string GoTypeName(TemplateValue value) => value.Kind switch
    {
        TemplateValueKind.String => "string",
        TemplateValueKind.Bool => "bool",
        TemplateValueKind.Integer => "int",
        TemplateValueKind.Float => "float64",
        TemplateValueKind.Map => "map[string]interface {}",
        TemplateValueKind.List => "[]interface {}",
        _ => "nil",
    };
}
