using Amazon.S3;
using Amazon.S3.Model;
using Bakery.BuildFiles;
using Bakery.Cli.Build;

namespace Bakery.Cli.Stack;

/// <summary>
/// Before a stack build's upload: the template and auto var files (<c>*.pkr.hcl</c>, <c>*.pkr.json</c>,
/// <c>*.auto.pkrvars.hcl</c>) directly in the build file's S3 folder that this upload does not carry. Prepare reads every
/// such file in the folder as part of the template (as Packer reads a folder), so one deleted locally but left in S3
/// would change the build, and its id would not be the one the CLI derives. They are deleted first, as
/// <c>aws s3 sync --delete</c> would, but only these: other files (scripts, manifests, sub-folders) stay.
/// </summary>
internal static class StaleFolderFiles
{
    private static readonly string[] ReadByPrepare = [".pkr.hcl", ".pkr.json", ".auto.pkrvars.hcl"];

    /// <summary>Deletes the stale files and returns their keys; none for a legacy JSON build file (Prepare reads no folder for it).</summary>
    public static async Task<IReadOnlyList<string>> DeleteAsync(IAmazonS3 s3, string bucket, BuildBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(bundle);
        if (bundle.FolderKeys is null && !BuildFileLoader.IsHcl2(bundle.BuildFileKey))
        {
            return [];
        }

        var folder = bundle.BuildFileKey[..(bundle.BuildFileKey.LastIndexOf('/') + 1)];
        var uploading = bundle.Files.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        var stale = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = folder };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request, cancellationToken).ConfigureAwait(false);
            stale.AddRange((page.S3Objects ?? []).Select(o => o.Key).Where(key =>
                key.IndexOf('/', folder.Length) < 0
                && ReadByPrepare.Any(suffix => key.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                && !uploading.Contains(key)));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        foreach (var key in stale)
        {
            await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }, cancellationToken).ConfigureAwait(false);
        }

        return stale;
    }
}
