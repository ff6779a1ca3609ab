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
}
