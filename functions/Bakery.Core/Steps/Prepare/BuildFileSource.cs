using System.Text;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Exceptions;
using Bakery.Core.Triggers;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Where a build's file comes from: fetched from S3 (an upload, a console <c>template</c>, a schedule), or passed inline
/// in the console input and then kept in the bucket like an uploaded one. Either way it ends up as a file in a folder
/// of its own, which is everything the build may read.
/// </summary>
internal sealed class BuildFileSource(IObjectStore objects, AwsRetry retry, string stackBucket)
{
    /// <summary>Where build files live in the bucket: each in its own folder under this prefix.</summary>
    public const string BuildsPrefix = "builds/";

    /// <summary>The named build file; one an S3 event named URL-encoded is found under its decoded key.</summary>
    public async Task<StoredObject> FetchAsync(BuildRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stored = await retry.RunAsync("S3 GetObject (build file)", token => objects.GetAsync(request.Bucket!, request.Key!, token), cancellationToken)
            .ConfigureAwait(false);
        if (stored is null && request.Kind == TriggerKind.S3Upload)
        {
            // S3 event notifications URL-encode keys ("a b.json" arrives as "a+b.json"); try the decoded form.
            var decoded = Uri.UnescapeDataString(request.Key!.Replace('+', ' '));
            if (decoded != request.Key)
            {
                stored = await retry.RunAsync("S3 GetObject (build file)", token => objects.GetAsync(request.Bucket!, decoded, token), cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return stored ?? throw new BuildInputInvalid($"s3://{request.Bucket}/{request.Key} does not exist (or is not readable by Bakery).");
    }

    /// <summary>
    /// The build file with its place: a fetched one is refused unless it has a folder of its own under
    /// <see cref="BuildsPrefix"/>; an inline one (<paramref name="fetched"/> null) is put at <c>inline/{buildId}/build.json</c>,
    /// so the manifest has a place beside it.
    /// </summary>
    public async Task<LocatedBuildFile> LocateAsync(BuildRequest request, string buildId, StoredObject? fetched, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (fetched is null)
        {
            var content = Encoding.UTF8.GetBytes(request.InlineBuildFile!.Value.GetRawText());
            var key = $"inline/{buildId}/build.json";
            await retry.RunAsync("S3 PutObject (inline build file)", token => objects.PutAsync(stackBucket, key, content, "application/json", token), cancellationToken)
                .ConfigureAwait(false);
            return new LocatedBuildFile(new BuildSource { Bucket = stackBucket, Key = key, Prefix = $"inline/{buildId}/" }, new StoredObject(key, content));
        }

        EnsureOwnFolder(request.Bucket!, fetched.Key);
        var source = new BuildSource
        {
            Bucket = request.Bucket!,
            Key = fetched.Key,
            Prefix = FolderOf(fetched.Key),
            VersionId = fetched.VersionId ?? request.VersionId,
            ETag = fetched.ETag ?? request.ETag,
        };
        return new LocatedBuildFile(source, fetched);
    }

    /// <summary>The folder of a key, with its trailing '/' ("" at the bucket root).</summary>
    public static string FolderOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        return slash < 0 ? string.Empty : key[..(slash + 1)];
    }

    /// <summary>
    /// A build's folder is its bundle (every file it may read), so it must be a folder of its own under
    /// <see cref="BuildsPrefix"/>: a build file at <c>builds/x.json</c> or outside <c>builds/</c> would read other builds'
    /// files, or the staging area.
    /// </summary>
    private static void EnsureOwnFolder(string bucket, string key)
    {
        var folder = FolderOf(key);
        if (!folder.StartsWith(BuildsPrefix, StringComparison.Ordinal) || folder.Length == BuildsPrefix.Length)
        {
            var stem = Path.GetFileNameWithoutExtension(key);
            throw new BuildFileInvalid(
                $"s3://{bucket}/{key}: a build file lives in its own folder under {BuildsPrefix} (its folder is everything the build may read); " +
                $"put it and its files in s3://{bucket}/{BuildsPrefix}{(stem.Length > 0 ? stem : "NAME")}/.");
        }
    }
}
