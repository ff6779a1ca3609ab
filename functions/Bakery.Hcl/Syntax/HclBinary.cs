namespace Bakery.Hcl.Syntax;

/// <summary><c>a op b</c> for HCL's arithmetic, comparison and logic operators.</summary>
public sealed record HclBinary(string Operator, HclExpression Left, HclExpression Right, HclPosition Position) : HclExpression(Position);
