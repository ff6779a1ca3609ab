namespace Bakery.Hcl.Syntax;

/// <summary><c>target.name</c>.</summary>
public sealed record HclGetAttribute(HclExpression Target, string Name, HclPosition Position) : HclExpression(Position);
