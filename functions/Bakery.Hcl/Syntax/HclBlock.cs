namespace Bakery.Hcl.Syntax;

/// <summary><c>type "label" ... { body }</c>.</summary>
public sealed record HclBlock(string Type, IReadOnlyList<string> Labels, HclBody Body, HclPosition Position);
