namespace Bakery.Hcl;

/// <summary>The kinds of value HCL expressions produce (cty's types, with list/tuple/set and map/object each folded into one).</summary>
public enum HclValueKind
{
    Null,
    Bool,
    Number,
    String,
    /// <summary>A list, tuple or set: ordered items.</summary>
    List,
    /// <summary>A map or object: string keys in lexical order, as cty iterates them.</summary>
    Object,
}
