namespace Bakery.Hcl.Syntax;

/// <summary>A name at the root of a traversal: <c>var</c>, <c>local</c>, a <c>for</c> variable...</summary>
public sealed record HclVariable(string Name, HclPosition Position) : HclExpression(Position);
