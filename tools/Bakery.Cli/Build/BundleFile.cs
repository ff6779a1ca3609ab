namespace Bakery.Cli.Build;

/// <summary>One object of a build's bundle: its S3 key and either a local file or generated content.</summary>
internal sealed record BundleFile(string Key, string? LocalPath, byte[]? Content = null);
