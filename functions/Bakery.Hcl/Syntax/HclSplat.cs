namespace Bakery.Hcl.Syntax;

/// <summary>
/// <c>source[*].rest</c> or <c>source.*.rest</c>: <see cref="Each"/> is applied to every item, with the item as
/// <see cref="HclSplatItem"/>. A non-list source becomes a one-item list (null: empty), as HCL does.
/// </summary>
public sealed record HclSplat(HclExpression Source, HclExpression Each, bool IsFull, HclPosition Position) : HclExpression(Position);
