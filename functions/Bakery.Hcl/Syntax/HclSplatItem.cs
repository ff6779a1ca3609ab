namespace Bakery.Hcl.Syntax;

/// <summary>The current item inside a <see cref="HclSplat"/>'s <c>Each</c>.</summary>
public sealed record HclSplatItem(HclPosition Position) : HclExpression(Position);
