namespace Bakery.Hcl.Syntax;

/// <summary><c>-x</c> or <c>!x</c>.</summary>
public sealed record HclUnary(string Operator, HclExpression Operand, HclPosition Position) : HclExpression(Position);
