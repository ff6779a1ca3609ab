using Amazon.S3;
using Amazon.S3.Model;

namespace Bakery.Cli.Build;

/// <summary>Uploads a <see cref="BuildBundle"/> in its order (the build file last) and reports the build file's version and ETag.</summary>
internal static class BundleUploader
{
    public static async Task<PutObjectResponse> UploadAsync(IAmazonS3 s3, string bucket, BuildBundle bundle, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        PutObjectResponse? last = null;
        foreach (var file in bundle.Files)
        {
            var request = new PutObjectRequest { BucketName = bucket, Key = file.Key };
            foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
            {
                request.Metadata[name] = value;
            }

            if (file.Content is { } content)
            {
                request.InputStream = new MemoryStream(content);
                request.ContentType = "application/json";
            }
            else
            {
                request.FilePath = file.LocalPath;
            }

            last = await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }

        return last!;
    }
}
