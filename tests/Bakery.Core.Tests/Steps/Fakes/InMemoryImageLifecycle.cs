using Amazon.EC2;
using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Steps.Fakes;

/// <summary>Our <see cref="IImageLifecycle"/> in memory: images with tags, the calls made, and calls told to fail.</summary>
internal sealed class InMemoryImageLifecycle : IImageLifecycle
{
    public List<ImageDescription> Images { get; } = [];
    public List<ImageUse> Uses { get; } = [];
    public List<string> Calls { get; } = [];
    public HashSet<string> Refused { get; } = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<ImageDescription>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Call("DescribeImages", "");
        return Task.FromResult<IReadOnlyList<ImageDescription>>(
            [.. Images.Where(image => tags.All(tag => image.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))]);
    }

    public Task TagAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        Call("CreateTags", imageId);
        var index = Images.FindIndex(image => image.ImageId == imageId);
        var merged = new Dictionary<string, string>(Images[index].Tags, StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            merged[key] = value;
        }

        Images[index] = Images[index] with { Tags = merged };
        return Task.CompletedTask;
    }

    public Task DeprecateAsync(string imageId, DateTimeOffset at, CancellationToken cancellationToken) => Call("EnableImageDeprecation", imageId);

    public Task DisableAsync(string imageId, CancellationToken cancellationToken) => Call("DisableImage", imageId);

    public Task SetDeregistrationProtectionAsync(string imageId, bool enabled, CancellationToken cancellationToken) =>
        Call(enabled ? "EnableImageDeregistrationProtection" : "DisableImageDeregistrationProtection", imageId);

    public Task DeregisterAsync(string imageId, CancellationToken cancellationToken) => Call("DeregisterImage", imageId);

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) => Call("DeleteSnapshot", snapshotId);

    public Task<IReadOnlyList<ImageUse>> FindUsesAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        Call("FindUses", "");
        return Task.FromResult<IReadOnlyList<ImageUse>>([.. Uses.Where(use => imageIds.Contains(use.ImageId))]);
    }

    private Task Call(string operation, string id)
    {
        Calls.Add($"{operation} {id}".TrimEnd());
        if (Refused.Contains($"{operation} {id}".TrimEnd()))
        {
            throw new AmazonEC2Exception("You are not authorized to perform this operation.") { ErrorCode = "UnauthorizedOperation" };
        }

        return Task.CompletedTask;
    }
}
