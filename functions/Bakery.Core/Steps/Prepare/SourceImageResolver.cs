using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Describes a builder's source image before anything is launched or staged, as Packer's StepSourceAMIInfo does
/// (a pinned <c>source_ami</c> is described by id, a <c>source_ami_filter</c> is searched), and refuses one that
/// amazon-ebs cannot build from: unknown to this account and region, or not EBS-backed (amazon-ebs snapshots the
/// root EBS volume; an instance-store image has none).
/// </summary>
internal sealed class SourceImageResolver(IAwsServices aws, AwsRetry retry)
{
    // EC2's answers to DescribeImages for an id it cannot show this account: unknown, badly formed, or no longer offered.
    private static readonly string[] NotFoundCodes = ["InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidAMIID.Unavailable"];

    /// <summary>The checked image's id and name.</summary>
    /// <param name="file">The build file, as errors name it (e.g. <c>s3://bucket/builds/web.json</c>).</param>
    /// <param name="builder">The builder whose source image is checked.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<(string Id, string? Name)> ResolveAsync(string file, AmazonEbsBuilder builder, CancellationToken cancellationToken)
    {
        var image = builder.SourceAmiFilter is { } filter
            ? await FindAsync(file, builder, filter, cancellationToken).ConfigureAwait(false)
            : await DescribeAsync(file, builder, cancellationToken).ConfigureAwait(false);
        if (image.RootDeviceType is { } rootDevice && !string.Equals(rootDevice, "ebs", StringComparison.Ordinal))
        {
            throw new SourceImageNotFound(
                $"{file}: builder '{builder.Name}': source image {image.ImageId}{(image.Name is { } name ? $" ({name})" : "")} in {builder.Region} " +
                $"has root device type {rootDevice}; amazon-ebs builds from EBS-backed images only (it snapshots the root EBS volume). " +
                "Choose an EBS-backed image (source_ami_filter: \"root-device-type\": \"ebs\").");
        }

        return (image.ImageId, image.Name);
    }

    private async Task<ImageDescription> DescribeAsync(string file, AmazonEbsBuilder builder, CancellationToken cancellationToken)
    {
        var imageId = builder.SourceAmi ?? throw new BuildFileInvalid($"{file}: builder '{builder.Name}' has neither source_ami nor source_ami_filter");
        var images = aws.Images(builder.Region);
        try
        {
            return await retry.RunAsync("EC2 DescribeImages (source_ami)", token => images.DescribeAsync(imageId, token), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (AwsErrors.HasCode(error, NotFoundCodes))
        {
            throw new SourceImageNotFound(
                $"{file}: builder '{builder.Name}': source_ami '{imageId}' was not found in {builder.Region} ({error.Message}). " +
                "Check the id and the builder's region (AMI ids differ per region), and that the image is public or shared with this account.",
                error);
        }
    }

    private async Task<ImageDescription> FindAsync(string file, AmazonEbsBuilder builder, SourceAmiFilter filter, CancellationToken cancellationToken)
    {
        var images = aws.Images(builder.Region);
        var filters = filter.Filters.ToDictionary(pair => pair.Key, pair => (IReadOnlyList<string>)[pair.Value], StringComparer.Ordinal);
        var found = await retry.RunAsync("EC2 DescribeImages (source_ami_filter)", token => images.FindAsync(filters, filter.Owners, token), cancellationToken)
            .ConfigureAwait(false);
        var described = $"filters {{{string.Join(", ", filter.Filters.Select(p => $"{p.Key}={p.Value}"))}}}" +
            (filter.Owners.Count > 0 ? $", owners [{string.Join(", ", filter.Owners)}]" : string.Empty) + $" in {builder.Region}";
        if (found.Count == 0)
        {
            throw new SourceImageNotFound($"{file}: builder '{builder.Name}': source_ami_filter matched no image ({described}).");
        }

        if (found.Count > 1 && !filter.MostRecent)
        {
            throw new SourceImageNotFound(
                $"{file}: builder '{builder.Name}': source_ami_filter matched {found.Count} images ({described}); make the filter more specific or set most_recent: true.");
        }

        // ISO 8601 creation dates sort as text; the image id breaks ties so the choice is stable.
        return found
            .OrderByDescending(image => image.CreationDate ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(image => image.ImageId, StringComparer.Ordinal)
            .First();
    }
}
