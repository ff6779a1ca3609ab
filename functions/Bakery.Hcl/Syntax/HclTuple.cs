namespace Bakery.Hcl.Syntax;

/// <summary><c>[a, b]</c>.</summary>
public sealed record HclTuple(IReadOnlyList<HclExpression> Items, HclPosition Position) : HclExpression(Position);
