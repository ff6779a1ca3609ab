namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>
/// The argument checks of a parsed command: what Go's text/template checks at run time (argument counts, a literal's
/// type, what may be called or receive a piped value) are properties of the text, so Bakery reports them as syntax
/// errors at their place, before anything is evaluated.
/// </summary>
internal static class CommandChecks
{
    /// <summary>Checks one command of pipeline stage <paramref name="stage"/> (0 first), replacing literal arguments by the values the function takes.</summary>
    public static void Command(List<OperandNode> operands, int stage)
    {
        var first = operands[0];
        if (first is FunctionNode function)
        {
            var count = operands.Count - 1 + (stage > 0 ? 1 : 0);
            ArgumentCount(function, count);
            for (var i = 1; i < operands.Count; i++)
            {
                operands[i] = LiteralArgument(function.Function, i - 1, operands[i]);
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
                ArgumentCount(argument, 0);
            }
            else if (operands[i] is FieldNode { Receiver: FunctionNode receiver })
            {
                ArgumentCount(receiver, 0);
            }
        }
    }

    public static void ArgumentCount(FunctionNode function, int count)
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

    private static OperandNode LiteralArgument(TemplateFunction function, int index, OperandNode operand)
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

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string DescribeOperand(OperandNode operand) => operand switch
    {
        LiteralNode literal => literal.Text,
        FieldNode { Receiver: null } field => field.Path.Count == 0 ? "." : field.DisplayName,
        FieldNode field => "(...)" + field.DisplayName,
        FunctionNode function => function.Function.Name,
        _ => "(...)",
    };
}
