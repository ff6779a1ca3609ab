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

    /// <summary>The image lifecycle calls (families, deprecation, retention) in <paramref name="region"/> (Lifecycle).</summary>
    IImageLifecycle ImageLifecycle(string region);

    /// <summary>S3 for the stack's bucket (the function's own region).</summary>
    IObjectStore Objects { get; }
}
