namespace Bakery.BuildFiles;

/// <summary>What a bundle path names.</summary>
public enum BundleEntryKind
{
    Missing,
    File,
    Directory,
}
