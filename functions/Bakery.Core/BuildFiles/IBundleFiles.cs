namespace Bakery.Core.BuildFiles;

/// <summary>
/// The files that travel with a build file (its "bundle"): the local disk for the CLI, the uploaded S3 prefix for the
/// Prepare step. Bundle paths are relative to the bundle root, separated by '/', normalized (no '.' or '..').
/// Synchronous on purpose: an S3 implementation lists the bundle's keys once, up front.
/// </summary>
public interface IBundleFiles
{
    /// <summary>
    /// What <c>{{template_dir}}</c> renders to for the build file at <paramref name="buildFilePath"/>. Whatever it returns,
    /// <see cref="ResolveRelative"/> must accept paths that start with it.
    /// </summary>
    string GetBuildFileFolder(string buildFilePath);

    /// <summary>
    /// Resolves a path as written in the build file (relative to <paramref name="buildFileFolder"/>, or absolute) to a bundle
    /// path. Returns null when the path leaves the bundle root (too many <c>../</c>).
    /// </summary>
    string? ResolveRelative(string buildFileFolder, string pathAsWritten);

    /// <summary>Whether <paramref name="bundlePath"/> (as returned by <see cref="ResolveRelative"/>) is a file, a folder or absent.</summary>
    BundleEntryKind GetKind(string bundlePath);
}
