using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Bakery.BuildFiles;

namespace Bakery.Core.Triggers;

/// <summary>
/// Derives a build's id from its trigger: <c>{build-file-stem}-{16 hex of SHA-256(identity)}</c>. Deterministic, so a
/// duplicate S3 event or a retried schedule firing lands on the same ledger item and loses the claim.
/// </summary>
public static class BuildIds
{
    private const int MaxStemLength = 32;

    /// <summary>True for an id a caller may choose: 1–64 of <c>[A-Za-z0-9._-]</c>, starting with a letter or digit (safe in tags and S3 keys).</summary>
    public static bool IsValidExplicit(string buildId) =>
        buildId is { Length: > 0 and <= 64 }
        && char.IsAsciiLetterOrDigit(buildId[0])
        && buildId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <param name="request">The normalized trigger.</param>
    /// <param name="newUniqueId">Source of uniqueness for triggers with no stable identity (a console start without <c>buildId</c>).</param>
    /// <param name="folder">
    /// For the build of a folder of templates: its prefix and the hash of its files' versions. An upload is then the
    /// folder's, not the file's: every upload of one batch that sees the same files claims the same build.
    /// </param>
    public static BuildIdentity Identify(BuildRequest request, Func<Guid> newUniqueId, (string Prefix, string ContentHash)? folder = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(newUniqueId);

        if (request.ExplicitBuildId is { } explicitId)
        {
            return new BuildIdentity($"build-id:{explicitId}", explicitId, Deduplicated: true);
        }

        string? identity = request.Kind switch
        {
            TriggerKind.S3Upload when folder is { } uploaded => $"folder:s3://{request.Bucket}/{uploaded.Prefix}#{uploaded.ContentHash}",
            TriggerKind.S3Upload =>
                $"s3://{request.Bucket}/{request.Key}?versionId={request.VersionId}&sequencer={request.Sequencer ?? request.ETag}",
            TriggerKind.Schedule =>
                $"schedule:s3://{request.Bucket}/{request.Key}@{request.ScheduledTime!.Value.ToString("O", CultureInfo.InvariantCulture)}",
            _ => null,
        };

        var deduplicated = identity is not null;
        identity ??= $"console:{request.SourceDescription}#{newUniqueId().ToString("N", CultureInfo.InvariantCulture)}";
        return new BuildIdentity(identity, $"{Stem(folder is { } named ? named.Prefix : request.Key)}-{Hash(identity)}", deduplicated);
    }

    private static string Hash(string identity)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(identity));
        return Convert.ToHexStringLower(digest.AsSpan(0, 8));
    }

    /// <summary>
    /// The build file's name without folder and extension (a folder's own name for a folder), lowercased to
    /// <c>[a-z0-9-]</c>; <c>inline</c> when there is no file.
    /// </summary>
    private static string Stem(string? key)
    {
        if (key is null)
        {
            return "inline";
        }

        key = key.TrimEnd('/');
        var name = BuildFileLoader.Stem(key[(key.LastIndexOf('/') + 1)..]);

        var builder = new StringBuilder(MaxStemLength);
        foreach (var c in name)
        {
            if (builder.Length == MaxStemLength)
            {
                break;
            }

            builder.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }

        var stem = builder.ToString().Trim('-');
        return stem.Length == 0 ? "build" : stem;
    }
}
