using Amazon.EC2;
using Amazon.EC2.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkImageLifecycle(IAmazonEC2 ec2) : IImageLifecycle
{
    /// <summary>The instance states that still need their image: all but terminated (a stopped instance may start again).</summary>
    private static readonly List<string> LiveStates = ["pending", "running", "stopping", "stopped", "shutting-down"];

    public async Task<IReadOnlyList<ImageDescription>> FindTaggedAsync(IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        var found = new List<ImageDescription>();
        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeImagesAsync(
                new DescribeImagesRequest { Owners = ["self"], Filters = Ec2Tags.Filters(tags), NextToken = nextToken }, cancellationToken).ConfigureAwait(false);
            found.AddRange((response.Images ?? []).Select(SdkImages.ToStatus));
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        return found;
    }

    public Task TagAsync(string imageId, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        ec2.CreateTagsAsync(new CreateTagsRequest { Resources = [imageId], Tags = Ec2Tags.ToTags(tags) }, cancellationToken);

    public Task DeprecateAsync(string imageId, DateTimeOffset at, CancellationToken cancellationToken) =>
        ec2.EnableImageDeprecationAsync(new EnableImageDeprecationRequest { ImageId = imageId, DeprecateAt = at.UtcDateTime }, cancellationToken);

    public Task DisableAsync(string imageId, CancellationToken cancellationToken) =>
        ec2.DisableImageAsync(new DisableImageRequest { ImageId = imageId }, cancellationToken);

    public Task SetDeregistrationProtectionAsync(string imageId, bool enabled, CancellationToken cancellationToken) =>
        enabled
            ? ec2.EnableImageDeregistrationProtectionAsync(new EnableImageDeregistrationProtectionRequest { ImageId = imageId, WithCooldown = false }, cancellationToken)
            : ec2.DisableImageDeregistrationProtectionAsync(new DisableImageDeregistrationProtectionRequest { ImageId = imageId }, cancellationToken);

    public Task DeregisterAsync(string imageId, CancellationToken cancellationToken) =>
        ec2.DeregisterImageAsync(new DeregisterImageRequest { ImageId = imageId }, cancellationToken);

    public async Task DeleteSnapshotAsync(string snapshotId, CancellationToken cancellationToken)
    {
        try
        {
            await ec2.DeleteSnapshotAsync(new DeleteSnapshotRequest { SnapshotId = snapshotId }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonEC2Exception error) when (error.ErrorCode == "InvalidSnapshot.NotFound")
        {
            // Already gone: what a delete wants.
        }
    }

    public async Task<IReadOnlyList<ImageUse>> FindUsesAsync(IReadOnlyCollection<string> imageIds, CancellationToken cancellationToken)
    {
        var uses = new List<ImageUse>();
        if (imageIds.Count == 0)
        {
            return uses;
        }

        string? nextToken = null;
        do
        {
            var response = await ec2.DescribeInstancesAsync(
                new DescribeInstancesRequest
                {
                    Filters = [new Filter("image-id", [.. imageIds]), new Filter("instance-state-name", LiveStates)],
                    NextToken = nextToken,
                },
                cancellationToken).ConfigureAwait(false);
            uses.AddRange((response.Reservations ?? []).SelectMany(r => r.Instances ?? [])
                .Where(instance => imageIds.Contains(instance.ImageId))
                .Select(instance => new ImageUse(instance.ImageId, $"instance {instance.InstanceId} ({instance.State?.Name?.Value})")));
            nextToken = string.IsNullOrEmpty(response.NextToken) ? null : response.NextToken;
        }
        while (nextToken is not null);

        // Every version, not only $Latest and $Default: an Auto Scaling group may pin any version by number.
        // DescribeLaunchTemplateVersions' image-id filter would save calls, but walking the versions is what works everywhere.
        string? templatesToken = null;
        do
        {
            var templates = await ec2.DescribeLaunchTemplatesAsync(new DescribeLaunchTemplatesRequest { NextToken = templatesToken }, cancellationToken)
                .ConfigureAwait(false);
            foreach (var template in templates.LaunchTemplates ?? [])
            {
                string? versionsToken = null;
                do
                {
                    var versions = await ec2.DescribeLaunchTemplateVersionsAsync(
                        new DescribeLaunchTemplateVersionsRequest { LaunchTemplateId = template.LaunchTemplateId, NextToken = versionsToken },
                        cancellationToken).ConfigureAwait(false);
                    uses.AddRange((versions.LaunchTemplateVersions ?? [])
                        .Where(version => version.LaunchTemplateData?.ImageId is { } id && imageIds.Contains(id))
                        .Select(version => new ImageUse(
                            version.LaunchTemplateData.ImageId,
                            $"launch template {template.LaunchTemplateId} ({template.LaunchTemplateName}) version {version.VersionNumber}")));
                    versionsToken = string.IsNullOrEmpty(versions.NextToken) ? null : versions.NextToken;
                }
                while (versionsToken is not null);
            }

            templatesToken = string.IsNullOrEmpty(templates.NextToken) ? null : templates.NextToken;
        }
        while (templatesToken is not null);

        return uses;
    }
}
