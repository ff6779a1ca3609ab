namespace Bakery.Core.Aws;

/// <summary>
/// One Run Command: <see cref="DocumentName"/> is <c>AWS-RunShellScript</c> or <c>AWS-RunPowerShellScript</c>,
/// <see cref="Commands"/> its <c>commands</c> parameter, <see cref="ExecutionTimeoutSeconds"/> its <c>executionTimeout</c>.
/// </summary>
public sealed record CommandRequest(string InstanceId, string DocumentName, IReadOnlyList<string> Commands)
{
    public int? ExecutionTimeoutSeconds { get; init; }
    public string? Comment { get; init; }
    /// <summary>Where SSM writes the command's full output (stdout and stderr per step), besides the 24,000-character copy GetCommandInvocation returns.</summary>
    public string? OutputS3BucketName { get; init; }
    /// <summary>Key prefix for <see cref="OutputS3BucketName"/>; SSM appends <c>/{commandId}/{instanceId}/{plugin}/{step}/stdout</c>.</summary>
    public string? OutputS3KeyPrefix { get; init; }
}
