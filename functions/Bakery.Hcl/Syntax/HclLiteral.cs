namespace Bakery.Hcl.Syntax;

/// <summary>A number, <c>true</c>, <c>false</c> or <c>null</c>.</summary>
public sealed record HclLiteral(HclValue Value, HclPosition Position) : HclExpression(Position);
