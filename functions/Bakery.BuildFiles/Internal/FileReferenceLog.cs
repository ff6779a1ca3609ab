namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Every script, file and folder a build file references, as the binders resolve them: once all are known, the folder
/// tree the build uploads is known, and the links in them can be checked against it (<see cref="LinkCheck"/>).
/// </summary>
internal sealed class FileReferenceLog
{
    private readonly List<FileReference> _references = [];

    public IReadOnlyList<FileReference> References => _references;

    public void Add(string bundlePath, string asWritten, BundleEntryKind kind, JsonNode node)
    {
        // Sections bound once per build report the same reference more than once.
        if (!_references.Any(r => r.BundlePath == bundlePath && ReferenceEquals(r.Node, node)))
        {
            _references.Add(new FileReference(bundlePath, asWritten, kind, node));
        }
    }
}
