using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace Bakery.Cli.Build;

/// <summary>
/// Uploads a <see cref="BuildBundle"/> in its order (the build file last) and reports the build file's version and ETag.
/// A bundle file is streamed from disk by the SDK's TransferUtility, in parts above its 16 MiB threshold: one PutObject
/// carries at most 5 GiB (S3), so a larger installer or image needs a multipart upload. A folder's template and var
/// files go up with PutObject, whose answer carries the version and ETag the folder build's id is made of.
/// </summary>
internal static class BundleUploader
{
    public static async Task<BundleUpload> UploadAsync(IAmazonS3 s3, string bucket, BuildBundle bundle, CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        PutObjectResponse? last = null;
        var versions = new Dictionary<string, (string? VersionId, string? ETag)>(StringComparer.Ordinal);
        var folderKeys = (bundle.FolderKeys ?? []).ToHashSet(StringComparer.Ordinal);
        using var transfers = new TransferUtility(s3);
        var files = bundle.Files.ToList();
        for (var i = 0; i < files.Count; i++)
        {
            var file = files[i];
            if (file.Content is null && i < files.Count - 1 && !folderKeys.Contains(file.Key))
            {
                var upload = new TransferUtilityUploadRequest { BucketName = bucket, Key = file.Key, FilePath = file.LocalPath };
                foreach (var (name, value) in metadata ?? new Dictionary<string, string>())
                {
                    upload.Metadata[name] = value;
                }

                await transfers.UploadAsync(upload, cancellationToken).ConfigureAwait(false);
                continue;
            }

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
            versions[file.Key] = (last.VersionId, last.ETag);
        }

        return new BundleUpload(last!, versions);
    }
}
