namespace Bakery.Hcl.Syntax;

/// <summary><c>c ? a : b</c>.</summary>
public sealed record HclConditional(HclExpression Condition, HclExpression Then, HclExpression Else, HclPosition Position) : HclExpression(Position);
