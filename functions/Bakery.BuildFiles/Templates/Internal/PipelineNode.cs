namespace Bakery.BuildFiles.Templates.Internal;

/// <summary><c>cmd1 | cmd2 | ...</c>: each command after the first receives the previous result as its last argument.</summary>
internal sealed class PipelineNode(IReadOnlyList<CommandNode> commands, int offset)
{
    public IReadOnlyList<CommandNode> Commands { get; } = commands;

    public int Offset { get; } = offset;
}
