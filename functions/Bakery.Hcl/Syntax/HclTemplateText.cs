namespace Bakery.Hcl.Syntax;

/// <summary>Literal text (escapes already decoded).</summary>
public sealed record HclTemplateText(string Text) : HclTemplatePart;
