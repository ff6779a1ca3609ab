namespace Bakery.Core.Aws.Json;

/// <summary>
/// What the JSON 1.1 client needs to know of a service: its name in messages, the SigV4 signing name, the
/// <c>X-Amz-Target</c> prefix, the endpoint's host prefix, and the service id the SDKs use for
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>.
/// </summary>
public sealed record AwsJsonService(string Name, string SigningName, string TargetPrefix, string EndpointPrefix, string EnvironmentServiceId)
{
    /// <summary>
    /// The protocol's content type: JSON 1.1 for most services, JSON 1.0 for some (Step Functions, per its API
    /// reference); the body and signing are the same for both.
    /// </summary>
    public string ContentType { get; init; } = "application/x-amz-json-1.1";

    /// <summary>AWS Secrets Manager (target prefix and signing name from its API reference).</summary>
    public static readonly AwsJsonService SecretsManager = new("Secrets Manager", "secretsmanager", "secretsmanager", "secretsmanager", "SECRETS_MANAGER");

    /// <summary>Amazon EventBridge (its API still answers under the CloudWatch Events names: AWSEvents, events).</summary>
    public static readonly AwsJsonService EventBridge = new("EventBridge", "events", "AWSEvents", "events", "EVENTBRIDGE");
}
