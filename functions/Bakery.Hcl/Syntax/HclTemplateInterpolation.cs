namespace Bakery.Hcl.Syntax;

/// <summary><c>${ expression }</c>; the strip flags are the <c>~</c> markers.</summary>
public sealed record HclTemplateInterpolation(HclExpression Expression, bool StripBefore = false, bool StripAfter = false) : HclTemplatePart;
