namespace Bakery.Functions.Handlers;

/// <summary>The progress statuses the host records around each step.</summary>
internal static class StepStatus
{
    public const string Started = "Started";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
}
