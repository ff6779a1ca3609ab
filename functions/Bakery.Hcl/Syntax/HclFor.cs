namespace Bakery.Hcl.Syntax;

/// <summary>
/// <c>[for k, v in coll : value if cond]</c> or <c>{for k, v in coll : key => value... if cond}</c>
/// (<see cref="KeyResult"/> set for the object form; <see cref="Group"/> is the <c>...</c>).
/// </summary>
public sealed record HclFor(string? KeyName, string ValueName, HclExpression Collection, HclExpression? KeyResult, HclExpression ValueResult,
    HclExpression? Condition, bool Group, HclPosition Position) : HclExpression(Position);
