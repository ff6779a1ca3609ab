using System.Security.Cryptography;
using System.Text;

namespace Bakery.Core.Triggers;

/// <summary>
/// What a folder build is: a short hash of every template and var file's key, version and ETag. Prepare computes it from
/// what it reads (so the uploads of one batch, each starting an execution, claim the same build); <c>bakery build
/// FOLDER</c> computes it from what it uploaded, to know the build id before Prepare answers.
/// </summary>
public static class FolderContentHash
{
    /// <param name="files">Each file's key, version id and ETag (<paramref name="files"/>' order does not matter).</param>
    /// <param name="contentOf">The file's content, hashed in place of a missing ETag.</param>
    public static string Compute(IEnumerable<(string Key, string? VersionId, string? ETag)> files, Func<string, ReadOnlyMemory<byte>> contentOf)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(contentOf);
        var text = string.Join('\n', files.OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => $"{f.Key}@{f.VersionId}#{f.ETag ?? Convert.ToHexStringLower(SHA256.HashData(contentOf(f.Key).Span))}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }
}
