namespace Bakery.BuildFiles;

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

    /// <summary>How a bundle path is shown in messages (the local disk: the absolute path).</summary>
    string Describe(string bundlePath) => bundlePath;

    /// <summary>Whether <paramref name="bundlePath"/> (as returned by <see cref="ResolveRelative"/>) is a file, a folder or absent.</summary>
    BundleEntryKind GetKind(string bundlePath);

    /// <summary>
    /// The symbolic links at or under <paramref name="bundlePath"/> (including the folders on the way to it from
    /// <paramref name="allowedRoot"/>) that may not travel with the build: one whose target lies outside
    /// <paramref name="allowedRoot"/> (a bundle path: the folder tree the build uploads), one that points to nothing,
    /// one that loops. A link that stays inside is fine: its target's content travels under the link's name.
    /// Empty where there are no links (an S3 bundle).
    /// </summary>
    IReadOnlyList<BundleLinkProblem> FindLinkProblems(string bundlePath, string allowedRoot) => [];

    /// <summary>
    /// The text of the file at <paramref name="bundlePath"/> for HCL2's <c>file()</c> and <c>templatefile()</c>; null when it
    /// is absent or cannot be read here (the default, e.g. an S3 bundle, whose keys are listed but not downloaded).
    /// </summary>
    string? ReadText(string bundlePath) => null;

    /// <summary>
    /// Every file at any depth under the folder <paramref name="bundleFolder"/> (a bundle path, "" for the root), as
    /// bundle paths, for HCL2's <c>fileset</c>. Empty when the folder is absent (the default: no listing).
    /// </summary>
    IReadOnlyList<string> ListFiles(string bundleFolder) => [];
}
