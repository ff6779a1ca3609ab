namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>A function name; called with the command's other operands, or with none when it is itself an argument.</summary>
internal sealed class FunctionNode(TemplateFunction function, int offset) : OperandNode(offset)
{
    public TemplateFunction Function { get; } = function;
}
