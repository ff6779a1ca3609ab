namespace Bakery.Testing.Permissions;

/// <summary>
/// One IAM grant a step's Lambda function needs: an action on resources written as template.yaml writes them
/// (<c>${TemplatesBucket.Arn}/staging/*</c>, <c>arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*</c>,
/// <c>*</c>), and why the step needs it.
/// </summary>
public sealed record StepPermission(string Action, IReadOnlyList<string> Resources, string Why)
{
    /// <summary>
    /// Set when AWS checks the action although no SDK call of the step is that operation (iam:PassRole on
    /// RunInstances, ec2:CreateTags for tags given at creation, S3 access through a URL the step presigned): how.
    /// </summary>
    public string? Implied { get; init; }

    /// <summary>
    /// Set when the integration runs (which record under the AWS SDK's pipeline) cannot see the call, and the offline
    /// authorization check (tests/Bakery.EndToEnd.Tests/Iam, which records every request at the stand-in's proxy and
    /// fails on a grant no request uses) is what proves the grant used: why.
    /// </summary>
    public string? UsedOnlyInAuthorizationCheck { get; init; }
}
