namespace Bakery.Hcl;

/// <summary>A place in an HCL file; <see cref="Line"/> and <see cref="Column"/> are 1-based (columns count characters).</summary>
public readonly record struct HclPosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
