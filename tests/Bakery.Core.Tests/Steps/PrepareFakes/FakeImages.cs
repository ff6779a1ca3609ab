using Amazon.EC2;
using Amazon.EC2.Model;
using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Steps.PrepareFakes;

/// <summary>
/// DescribeImages over a fixed list (filters: <c>name</c> only, exact or with a trailing '*'; owners ignored; an unknown
/// id is EC2's <c>InvalidAMIID.NotFound</c>). It starts with the EBS-backed source images the test build files pin.
/// Everything else is not Prepare's business.
/// </summary>
internal sealed class FakeImages : IImages
{
    public List<ImageDescription> Images { get; } =
    [
        new("ami-12345678", "available") { Name = "source/pinned-by-test-files", RootDeviceType = "ebs" },
        new("ami-cd0f5cb6", "available") { Name = "source/the-seed-example", RootDeviceType = "ebs" },
    ];

    public List<string> Described { get; } = [];

    public List<(IReadOnlyDictionary<string, IReadOnlyList<string>> Filters, IReadOnlyList<string> Owners)> Queries { get; } = [];

    public Task<IReadOnlyList<ImageDescription>> FindAsync(
        IReadOnlyDictionary<string, IReadOnlyList<string>> filters, IReadOnlyList<string> owners, CancellationToken cancellationToken)
    {
        Queries.Add((filters, owners));
        IReadOnlyList<ImageDescription> found = [.. Images.Where(image => !filters.TryGetValue("name", out var names) || names.Any(name =>
            name.EndsWith('*') ? image.Name!.StartsWith(name[..^1], StringComparison.Ordinal) : image.Name == name))];
        return Task.FromResult(found);
    }

    public Task<string> CreateAsync(CreateImageRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<string> CopyAsync(CopyImageRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<ImageDescription> DescribeAsync(string imageId, CancellationToken cancellationToken)
    {
        Described.Add(imageId);
        return Images.FirstOrDefault(image => image.ImageId == imageId) is { } image
            ? Task.FromResult(image)
            : throw new AmazonEC2Exception($"The image id '[{imageId}]' does not exist") { ErrorCode = "InvalidAMIID.NotFound" };
    }

    public Task<IReadOnlyList<string>> FindSnapshotsAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task DeregisterAsync(string imageId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task TagAsync(IReadOnlyList<string> resourceIds, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task AddLaunchPermissionAsync(string imageId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task AddCreateVolumePermissionAsync(string snapshotId, IReadOnlyList<string> userIds, IReadOnlyList<string> groups, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
