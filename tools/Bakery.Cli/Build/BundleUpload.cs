using Amazon.S3.Model;

namespace Bakery.Cli.Build;

/// <summary>What an upload of a bundle answered: the build file's PutObject (the trigger), and the version and ETag of
/// every file sent with PutObject (a folder's template and var files among them).</summary>
internal sealed record BundleUpload(PutObjectResponse Last, IReadOnlyDictionary<string, (string? VersionId, string? ETag)> Versions);
