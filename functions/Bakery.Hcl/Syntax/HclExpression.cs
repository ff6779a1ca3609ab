namespace Bakery.Hcl.Syntax;

/// <summary>An expression of HCL's native syntax.</summary>
public abstract record HclExpression(HclPosition Position);
