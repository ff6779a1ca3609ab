namespace Bakery.Core.Aws;

/// <summary>
/// One Run Command: <see cref="DocumentName"/> is <c>AWS-RunShellScript</c> or <c>AWS-RunPowerShellScript</c>,
/// <see cref="Commands"/> its <c>commands</c> parameter, <see cref="ExecutionTimeoutSeconds"/> its <c>executionTimeout</c>.
/// </summary>
public sealed record CommandRequest(string InstanceId, string DocumentName, IReadOnlyList<string> Commands)
{
    public int? ExecutionTimeoutSeconds { get; init; }
    public string? Comment { get; init; }
}
