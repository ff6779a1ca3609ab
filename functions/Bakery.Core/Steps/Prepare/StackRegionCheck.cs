using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// A stack builds in its own region only: its policies pin builder instances, security groups and commands there
/// (copies with ami_regions may go anywhere). Another region would be refused by IAM half-way; say so before.
/// </summary>
internal sealed class StackRegionCheck(string? stackRegion)
{
    public void Check(string file, AmazonEbsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (stackRegion is { } region && !string.Equals(builder.Region, region, StringComparison.Ordinal))
        {
            throw new BuildFileInvalid(
                $"{file}: builder '{builder.Name}' has \"region\": \"{builder.Region}\", but this Bakery stack builds in " +
                $"{region} only (its IAM policies allow builder instances there). Set \"region\": \"{region}\" and list " +
                $"{builder.Region} in ami_regions to have the AMI there too, or deploy a Bakery stack in {builder.Region}.");
        }
    }
}
