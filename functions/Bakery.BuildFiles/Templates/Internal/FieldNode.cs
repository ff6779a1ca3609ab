namespace Bakery.BuildFiles.Templates.Internal;

/// <summary><c>.A.B</c> on the data (empty path: <c>.</c> itself), or <c>(pipeline).A.B</c> when <see cref="Receiver"/> is set.</summary>
internal sealed class FieldNode(OperandNode? receiver, IReadOnlyList<string> path, int offset) : OperandNode(offset)
{
    public OperandNode? Receiver { get; } = receiver;

    public IReadOnlyList<string> Path { get; } = path;

    public string DisplayName => "." + string.Join('.', Path);
}
