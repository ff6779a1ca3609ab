namespace Bakery.Hcl.Syntax;

/// <summary><c>name = expression</c>.</summary>
public sealed record HclAttribute(string Name, HclExpression Value, HclPosition Position);
