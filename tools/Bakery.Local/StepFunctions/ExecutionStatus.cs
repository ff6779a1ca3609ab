namespace Bakery.Local.StepFunctions;

/// <summary>How a local execution ended (the names Step Functions uses).</summary>
public enum ExecutionStatus
{
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
}
