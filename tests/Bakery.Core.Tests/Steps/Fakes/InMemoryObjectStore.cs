using Bakery.Core.Aws;

namespace Bakery.Core.Tests.Steps.Fakes;

/// <summary>
/// S3 as a dictionary of "bucket/key" → bytes: <see cref="FakeAws"/>'s object store, or on its own where a test needs
/// only S3. <see cref="OnList"/> lets a test make objects arrive between listings.
/// </summary>
/// <param name="enter">Called with the S3 operation's name before it runs (the owner counts calls and throws queued faults).</param>
internal sealed class InMemoryObjectStore(Action<string>? enter = null) : IObjectStore
{
    public Dictionary<string, byte[]> Objects { get; } = new(StringComparer.Ordinal);

    public Action<int>? OnList { get; set; }

    public int Listings { get; private set; }

    public void Put(string bucket, string key, string content) => Objects[$"{bucket}/{key}"] = System.Text.Encoding.UTF8.GetBytes(content);

    public string? Text(string bucket, string key) =>
        Objects.TryGetValue($"{bucket}/{key}", out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;

    public Task<StoredObject?> GetAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        enter?.Invoke("GetObject");
        return Task.FromResult(Objects.TryGetValue($"{bucket}/{key}", out var bytes) ? new StoredObject(key, bytes) { ETag = ETagOf(bytes) } : null);
    }

    /// <summary>S3's ETag of a single-part upload: the MD5 of the content, quoted, so other content has another ETag.</summary>
    private static string ETagOf(byte[] bytes) => $"\"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes))}\"";

    public Task PutAsync(string bucket, string key, ReadOnlyMemory<byte> content, string? contentType, CancellationToken cancellationToken)
    {
        enter?.Invoke("PutObject");
        Objects[$"{bucket}/{key}"] = content.ToArray();
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<string>> ListKeysAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        enter?.Invoke("ListObjectsV2");
        OnList?.Invoke(Listings++);
        IReadOnlyList<string> keys = [.. Objects.Keys
            .Where(k => k.StartsWith($"{bucket}/{prefix}", StringComparison.Ordinal))
            .Select(k => k[(bucket.Length + 1)..])];
        return Task.FromResult(keys);
    }

    public Task DeleteAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        enter?.Invoke("DeleteObjects");
        foreach (var key in keys)
        {
            Objects.Remove($"{bucket}/{key}");
        }

        return Task.CompletedTask;
    }

    public Task<string> PresignGetAsync(string bucket, string key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Task.FromResult($"https://{bucket}.s3.example/{key}?signed=get");

    public Task<string> PresignPutAsync(string bucket, string key, TimeSpan validFor, CancellationToken cancellationToken) =>
        Task.FromResult($"https://{bucket}.s3.example/{key}?signed=put");
}
