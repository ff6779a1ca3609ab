namespace Bakery.Hcl.Syntax;

/// <summary>One piece of a template.</summary>
public abstract record HclTemplatePart;
