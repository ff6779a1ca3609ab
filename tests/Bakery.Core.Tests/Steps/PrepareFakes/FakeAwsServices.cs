using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Steps.PrepareFakes;

/// <summary>S3 and DescribeImages for Prepare and Publish; the instance, group and command calls are not theirs.</summary>
internal sealed class FakeAwsServices : IAwsServices
{
    public InMemoryObjectStore Store { get; } = new();

    public FakeImages ImagesApi { get; } = new();

    public IObjectStore Objects => Store;

    public IImages Images(string region) => ImagesApi;

    public IInstances Instances(string region) => throw new NotSupportedException();

    public ISecurityGroups SecurityGroups(string region) => throw new NotSupportedException();

    public ICommands Commands(string region) => throw new NotSupportedException();

    public IParameters Parameters(string region) => throw new NotSupportedException();

    /// <summary>Secrets Manager is tested against moto (the data-source tests), not faked.</summary>
    public ISecrets Secrets(string region) => throw new NotSupportedException();

    public RecordingEvents EventsApi { get; } = new();

    public IEvents Events => EventsApi;
    public IImageLifecycle ImageLifecycle(string region) => throw new NotSupportedException();
}
