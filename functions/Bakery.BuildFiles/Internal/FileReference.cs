namespace Bakery.BuildFiles.Internal;

/// <summary>One path the build file names, resolved: where it is in the bundle, what it is, and where it is written.</summary>
internal sealed record FileReference(string BundlePath, string AsWritten, BundleEntryKind Kind, JsonNode Node);
