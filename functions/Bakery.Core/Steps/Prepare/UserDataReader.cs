using System.Text;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Bundles;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Prepare;

/// <summary>Reads a builder's <c>user_data_file</c> from the bundle into its <c>user_data</c>, which Launch passes to EC2.</summary>
internal sealed class UserDataReader(IObjectStore objects, AwsRetry retry)
{
    public async Task<AmazonEbsBuilder> ReadAsync(AmazonEbsBuilder builder, BuildSource source, S3BundleFiles bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(bundle);
        if (string.IsNullOrEmpty(builder.UserDataFile))
        {
            return builder;
        }

        var key = bundle.KeyOf(builder.UserDataFile);
        var stored = await retry.RunAsync("S3 GetObject (user_data_file)", token => objects.GetAsync(source.Bucket, key, token), cancellationToken)
            .ConfigureAwait(false)
            ?? throw new BuildFileInvalid($"builder '{builder.Name}': user_data_file '{builder.UserDataFile}' is not in the bundle (s3://{source.Bucket}/{key}).");
        return builder with { UserData = Encoding.UTF8.GetString(stored.Content.Span) };
    }
}
