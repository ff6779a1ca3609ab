namespace Bakery.BuildFiles.Templates.Internal;

/// <summary>A parenthesized pipeline used as an operand: <c>(user `x` | lower)</c>.</summary>
internal sealed class SubPipelineNode(PipelineNode pipeline, int offset) : OperandNode(offset)
{
    public PipelineNode Pipeline { get; } = pipeline;
}
