namespace Bakery.Hcl.Syntax;

/// <summary><c>%{ for k, v in coll }...%{ endfor }</c>.</summary>
public sealed record HclTemplateFor(string? KeyName, string ValueName, HclExpression Collection, IReadOnlyList<HclTemplatePart> Body) : HclTemplatePart;
