using Amazon.Runtime;

namespace Bakery.Integration.Tests.Permissions;

/// <summary>
/// One AWS operation a step sent through the SDK, as IAM sees it: the action it needs and, where the request names
/// it, the resource in template.yaml's terms (e.g. <c>${TemplatesBucket.Arn}/staging/b-1/files/x.sh</c>).
/// </summary>
public sealed record AwsCall(string Step, string Operation, string Region, string Action, IReadOnlyList<string> Resources, AmazonWebServiceRequest Request)
{
    public override string ToString() =>
        $"{Step}: {Operation} in {Region} → {Action}{(Resources.Count > 0 ? $" on {string.Join(", ", Resources)}" : "")}";
}
