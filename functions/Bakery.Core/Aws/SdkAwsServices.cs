using Bakery.Core.Aws.Internal;

namespace Bakery.Core.Aws;

/// <summary>The small AWS interfaces backed by the SDK clients in <see cref="AwsClients"/>.</summary>
public sealed class SdkAwsServices(AwsClients clients) : IAwsServices
{
    private readonly AwsClients clients = clients ?? throw new ArgumentNullException(nameof(clients));

    public IInstances Instances(string region) => new SdkInstances(clients.Ec2(region));

    public ISecurityGroups SecurityGroups(string region) => new SdkSecurityGroups(clients.Ec2(region));

    public IImages Images(string region) => new SdkImages(clients.Ec2(region));

    public ICommands Commands(string region) => new SdkCommands(clients.Ssm(region));

    public IParameters Parameters(string region) => new SdkParameters(clients.Ssm(region));

    public ISecrets Secrets(string region) => new JsonSecrets(clients.SecretsManager(region));

    public IEvents Events => new JsonEvents(clients.EventBridge);
    public IImageLifecycle ImageLifecycle(string region) => new SdkImageLifecycle(clients.Ec2(region));

    public IObjectStore Objects => new SdkObjectStore(clients.S3);
}
