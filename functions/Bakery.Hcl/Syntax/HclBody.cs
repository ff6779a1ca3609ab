namespace Bakery.Hcl.Syntax;

/// <summary>A file or a block's content: attributes and blocks in the order written.</summary>
public sealed record HclBody(IReadOnlyList<HclAttribute> Attributes, IReadOnlyList<HclBlock> Blocks, HclPosition Position)
{
    public HclAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}
