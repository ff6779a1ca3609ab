namespace Bakery.Hcl.Syntax;

/// <summary><c>target[key]</c> (and the legacy <c>target.0</c>).</summary>
public sealed record HclIndex(HclExpression Target, HclExpression Key, HclPosition Position) : HclExpression(Position);
