namespace Bakery.BuildFiles.Settings;

/// <summary>The shape of an EC2 instance type name (<c>t3a.micro</c>, <c>m7i-flex.large</c>): what the build file's instance_type must look like too.</summary>
public static class InstanceTypeNames
{
    /// <summary>Lower-case letters, digits, <c>.</c> and <c>-</c>, with a family and a size.</summary>
    public static bool IsWellFormed(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Contains('.', StringComparison.Ordinal)
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-');
    }
}
