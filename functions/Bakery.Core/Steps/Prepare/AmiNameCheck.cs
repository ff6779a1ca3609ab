using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Prepare;

/// <summary>Refuses a build whose <c>ami_name</c> this account already uses in the region, before anything is launched.</summary>
internal sealed class AmiNameCheck(IAwsServices aws, AwsRetry retry)
{
    public async Task EnsureFreeAsync(AmazonEbsBuilder builder, Redactor redactor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(redactor);
        // A name that still holds build-time data ({{ .SourceAMIName }}) is only known later; CreateImage refuses a taken name then.
        if (builder.ForceDeregister || builder.AmiName.Contains("{{", StringComparison.Ordinal))
        {
            return;
        }

        var images = aws.Images(builder.Region);
        var filters = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { ["name"] = [builder.AmiName] };
        var existing = await retry.RunAsync("EC2 DescribeImages (ami_name)", token => images.FindAsync(filters, ["self"], token), cancellationToken)
            .ConfigureAwait(false);
        if (existing.Count > 0)
        {
            throw new AmiNameInUse(redactor.Redact(
                $"builder '{builder.Name}': ami_name '{builder.AmiName}' is used by {existing[0].ImageId} in {builder.Region}; " +
                "choose another name or set force_deregister: true."));
        }
    }
}
