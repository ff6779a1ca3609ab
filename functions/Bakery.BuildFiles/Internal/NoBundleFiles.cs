namespace Bakery.BuildFiles.Internal;

/// <summary>
/// The bundle of settings read without their build file (a unit test, a settings file on its own): nothing is in it, so a
/// script named there is reported as not found rather than taken on trust.
/// </summary>
internal sealed class NoBundleFiles : IBundleFiles
{
    public static NoBundleFiles Instance { get; } = new();

    public string GetBuildFileFolder(string buildFilePath) => "";

    public string? ResolveRelative(string buildFileFolder, string pathAsWritten) => BundlePath.Normalize(pathAsWritten);

    public string Describe(string bundlePath) => $"{bundlePath}, with no build file to look beside";

    public BundleEntryKind GetKind(string bundlePath) => BundleEntryKind.Missing;
}
