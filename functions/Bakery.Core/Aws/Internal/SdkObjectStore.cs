using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkObjectStore(IAmazonS3 s3) : IObjectStore
{
    /// <summary>Objects larger than this are copied part by part (UploadPartCopy); S3's single CopyObject stops at 5 GiB.</summary>
    private readonly long singleCopyLimit;

    public SdkObjectStore(IAmazonS3 s3, long singleCopyLimit)
        : this(s3)
    {
        this.singleCopyLimit = singleCopyLimit;
    }

    private long SingleCopyLimit => singleCopyLimit > 0 ? singleCopyLimit : AwsLimits.S3SinglePutBytes;

    public async Task<long?> GetSizeAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key }, cancellationToken)
                .ConfigureAwait(false);
            return response.ContentLength;
        }
        catch (AmazonS3Exception error) when (error.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> CopyAsync(string bucket, string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        if (await GetSizeAsync(bucket, sourceKey, cancellationToken).ConfigureAwait(false) is not { } size)
        {
            return false;
        }

        if (size <= SingleCopyLimit)
        {
            await s3.CopyObjectAsync(
                new CopyObjectRequest { SourceBucket = bucket, SourceKey = sourceKey, DestinationBucket = bucket, DestinationKey = destinationKey },
                cancellationToken).ConfigureAwait(false);
            return true;
        }

        await CopyInPartsAsync(bucket, sourceKey, destinationKey, size, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// A multipart copy: as few parts as S3's 10,000-part limit allows with parts no smaller than the single-copy limit
    /// (each part is itself a server-side copy of a byte range). An upload left incomplete by a failure is removed by
    /// the bucket's AbortIncompleteMultipartUpload lifecycle rule (template.yaml).
    /// </summary>
    private async Task CopyInPartsAsync(string bucket, string sourceKey, string destinationKey, long size, CancellationToken cancellationToken)
    {
        var partSize = Math.Max(Math.Min(SingleCopyLimit, AwsLimits.S3SinglePutBytes), (size + AwsLimits.S3MaxParts - 1) / AwsLimits.S3MaxParts);
        partSize = Math.Max(partSize, AwsLimits.S3MinPartBytes);
        var upload = await s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = bucket, Key = destinationKey }, cancellationToken).ConfigureAwait(false);
        var parts = new List<PartETag>();
        for (long first = 0, number = 1; first < size; first += partSize, number++)
        {
            var last = Math.Min(first + partSize, size) - 1;
            var part = await s3.CopyPartAsync(
                new CopyPartRequest
                {
                    SourceBucket = bucket,
                    SourceKey = sourceKey,
                    DestinationBucket = bucket,
                    DestinationKey = destinationKey,
                    UploadId = upload.UploadId,
                    PartNumber = (int)number,
                    FirstByte = first,
                    LastByte = last,
                },
                cancellationToken).ConfigureAwait(false);
            parts.Add(new PartETag((int)number, part.ETag));
        }

        await s3.CompleteMultipartUploadAsync(
            new CompleteMultipartUploadRequest { BucketName = bucket, Key = destinationKey, UploadId = upload.UploadId, PartETags = parts },
            cancellationToken).ConfigureAwait(false);
    }

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
