namespace Bakery.Hcl.Syntax;

/// <summary><c>%{ if c }...%{ else }...%{ endif }</c>.</summary>
public sealed record HclTemplateIf(HclExpression Condition, IReadOnlyList<HclTemplatePart> Then, IReadOnlyList<HclTemplatePart> Else) : HclTemplatePart;
