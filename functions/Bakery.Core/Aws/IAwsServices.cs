namespace Bakery.Core.Aws;

/// <summary>
/// Hands out the small AWS interfaces per region (a build's region comes from its build file, copies go to
/// ami_regions). The SDK-backed implementation creates each client once per process.
/// </summary>
public interface IAwsServices
{
    IInstances Instances(string region);

    ISecurityGroups SecurityGroups(string region);

    IImages Images(string region);

    ICommands Commands(string region);

    /// <summary>SSM Parameter Store in <paramref name="region"/> (PublishParameter).</summary>
    IParameters Parameters(string region);

    /// <summary>Secrets Manager in <paramref name="region"/> (HCL2's <c>data "amazon-secretsmanager"</c>, read by Prepare).</summary>
    ISecrets Secrets(string region);

    /// <summary>EventBridge in the function's own region (Publish's build events).</summary>
    IEvents Events { get; }
    /// <summary>The image lifecycle calls (families, deprecation, retention) in <paramref name="region"/> (Lifecycle).</summary>
    IImageLifecycle ImageLifecycle(string region);

    /// <summary>S3 for the stack's bucket (the function's own region).</summary>
    IObjectStore Objects { get; }
}
