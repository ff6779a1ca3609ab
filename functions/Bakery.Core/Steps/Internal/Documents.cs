namespace Bakery.Core.Steps.Internal;

/// <summary>The SSM documents provisioning runs through.</summary>
internal static class Documents
{
    public const string Shell = "AWS-RunShellScript";
    public const string PowerShell = "AWS-RunPowerShellScript";
}
