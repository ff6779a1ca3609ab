namespace Bakery.BuildFiles;

/// <summary>A declared variable: its default as written (null when required) and whether it is sensitive.</summary>
public sealed record OutlineVariable(string Name, string? Default, bool IsSensitive)
{
    public bool IsRequired => Default is null;
}
