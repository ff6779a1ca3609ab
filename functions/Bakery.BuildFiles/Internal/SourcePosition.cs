namespace Bakery.BuildFiles.Internal;

/// <summary>A 1-based line and column (columns count characters, not bytes).</summary>
internal readonly record struct SourcePosition(int Line, int Column);
