namespace Bakery.Hcl.Syntax;

/// <summary><c>name(args)</c>; <see cref="ExpandLast"/> is the trailing <c>...</c>.</summary>
public sealed record HclFunctionCall(string Name, IReadOnlyList<HclExpression> Arguments, bool ExpandLast, HclPosition Position) : HclExpression(Position);
