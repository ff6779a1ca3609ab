using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkObjectStore(IAmazonS3 s3) : IObjectStore
{
    public async Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, cancellationToken)
                .ConfigureAwait(false);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            return new StoredObject(key, content.ToArray()) { ETag = response.ETag, VersionId = response.VersionId };
        }
        catch (AmazonS3Exception error) when (error.StatusCode == HttpStatusCode.NotFound && error.ErrorCode is "NoSuchKey" or "NotFound")
        {
            return null;
        }
    }

    public async Task<byte[]?> GetTailAsync(string bucket, string key, int bytes, CancellationToken cancellationToken)
    {
        try
        {
            // A suffix range ("bytes=-N"): S3 sends only the end of the object, however large it is.
            using var response = await s3.GetObjectAsync(
                new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange($"bytes=-{bytes}") }, cancellationToken)
                .ConfigureAwait(false);
            using var content = new MemoryStream();
            await response.ResponseStream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
            return content.ToArray();
        }
        catch (AmazonS3Exception error) when (error.StatusCode == HttpStatusCode.NotFound && error.ErrorCode is "NoSuchKey" or "NotFound")
        {
            return null;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            return [];
        }
    }

    public async Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string? contentType, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content.ToArray(), writable: false);
        await s3.PutObjectAsync(
            new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, ContentType = contentType, AutoCloseStream = false },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<string>> ListKeysAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        string? continuation = null;
        do
        {
            var response = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = continuation },
                cancellationToken).ConfigureAwait(false);
            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key));
            continuation = response.IsTruncated == true ? response.NextContinuationToken : null;
        }
        while (continuation is not null);

        return keys;
    }

    public async Task DeleteAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        // DeleteObjects takes at most 1000 keys per call.
        foreach (var batch in keys.Chunk(1000))
        {
            await s3.DeleteObjectsAsync(
                new DeleteObjectsRequest { BucketName = bucket, Objects = [.. batch.Select(key => new KeyVersion { Key = key })], Quiet = true },
                cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<string> PresignGetAsync(string bucket, string key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Presign(bucket, key, HttpVerb.GET, validFor);

    public Task<string> PresignPutAsync(string bucket, string key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Presign(bucket, key, HttpVerb.PUT, validFor);

    private Task<string> Presign(string bucket, string key, HttpVerb verb, TimeSpan validFor) =>
        s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = bucket,
            Key = key,
            Verb = verb,
            Expires = DateTime.UtcNow.Add(validFor),
            // The SDK presigns https:// unless told otherwise; an http endpoint (AWS_ENDPOINT_URL) must get http URLs.
            Protocol = s3.Config.ServiceURL?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        });
}
