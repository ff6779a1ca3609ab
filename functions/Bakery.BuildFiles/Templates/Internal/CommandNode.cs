namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>One pipeline stage: a function call with arguments, or a single operand.</summary>
internal sealed class CommandNode(IReadOnlyList<OperandNode> operands, int offset)
{
    public IReadOnlyList<OperandNode> Operands { get; } = operands;

    public int Offset { get; } = offset;
}
