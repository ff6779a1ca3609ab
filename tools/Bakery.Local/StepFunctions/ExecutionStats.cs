namespace Bakery.Local.StepFunctions;

/// <summary>
/// Counts from the event log: <see cref="Transitions"/> = states entered (Step Functions bills and limits these),
/// <see cref="TaskInvocations"/> = Lambda invocations including retries.
/// </summary>
public sealed record ExecutionStats(int Transitions, int TaskInvocations, int Retries, int MapIterations, TimeSpan Duration);
