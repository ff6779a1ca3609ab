namespace Bakery.Hcl.Syntax;

/// <summary><c>{ key = value, ... }</c>. A bare identifier key is its name; other keys are expressions.</summary>
public sealed record HclObject(IReadOnlyList<KeyValuePair<HclExpression, HclExpression>> Items, HclPosition Position) : HclExpression(Position);
