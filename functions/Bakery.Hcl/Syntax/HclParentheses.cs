namespace Bakery.Hcl.Syntax;

/// <summary><c>(expression)</c>: kept so an object key in parentheses stays an expression.</summary>
public sealed record HclParentheses(HclExpression Inner, HclPosition Position) : HclExpression(Position);
