namespace Bakery.Core.Aws;

/// <summary>The S3 calls the steps make: build bundles, staged files, downloads, manifests.</summary>
public interface IObjectStore
{
    /// <summary>The object, or null when there is no such key.</summary>
    Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>
    /// The last <paramref name="bytes"/> bytes of the object (all of it when shorter), or null when there is no such key.
    /// For logs that can be far larger than what a step should hold.
    /// </summary>
    async Task<byte[]?> GetTailAsync(string bucket, string key, int bytes, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return stored is null ? null : stored.Content.Length <= bytes ? stored.Content.ToArray() : stored.Content[^bytes..].ToArray();
    }

    /// <summary>The object's size in bytes (HeadObject), or null when there is no such key.</summary>
    async Task<long?> GetSizeAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(bucket, key, cancellationToken).ConfigureAwait(false);
        return stored?.Content.Length;
    }

    /// <summary>
    /// Copies an object inside the bucket without its bytes passing through the caller (S3 copies server-side), so a
    /// file of any size S3 holds stages within a function's memory and time. False when the source is gone.
    /// </summary>
    async Task<bool> CopyAsync(string bucket, string sourceKey, string destinationKey, CancellationToken cancellationToken)
    {
        var stored = await GetAsync(bucket, sourceKey, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return false;
        }

        await PutAsync(bucket, destinationKey, stored.Content, null, cancellationToken).ConfigureAwait(false);
        return true;
    }

    Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string? contentType, CancellationToken cancellationToken);

    /// <summary>Every key under <paramref name="prefix"/> (all pages).</summary>
    Task<IReadOnlyList<string>> ListKeysAsync(string bucket, string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes the keys; missing keys are not an error (S3's own rule).</summary>
    Task DeleteAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken);

    /// <summary>A URL the instance can GET the object with, without credentials.</summary>
    Task<string> PresignGetAsync(string bucket, string key, TimeSpan validFor, CancellationToken cancellationToken);

    /// <summary>A URL the instance can PUT an object to, without credentials.</summary>
    Task<string> PresignPutAsync(string bucket, string key, TimeSpan validFor, CancellationToken cancellationToken);
}
