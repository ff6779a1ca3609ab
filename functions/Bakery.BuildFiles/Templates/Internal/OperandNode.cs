namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>A word of a command: literal, field (<c>.A.B</c>), function name or parenthesized pipeline.</summary>
internal abstract class OperandNode(int offset)
{
    public int Offset { get; } = offset;
}
