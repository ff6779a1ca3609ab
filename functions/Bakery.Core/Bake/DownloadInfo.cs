namespace Bakery.Core.Bake;

/// <summary>
/// One file a <c>file</c> provisioner with <c>direction: download</c> brought back: the instance PUT
/// <see cref="RemotePath"/> to <see cref="Key"/> in the build's bucket; the CLI copies it to <see cref="Destination"/>.
/// A remote folder arrives as a .tar.gz (<see cref="IsArchive"/>).
/// </summary>
public sealed record DownloadInfo
{
    public required string RemotePath { get; init; }
    public required string Bucket { get; init; }
    public required string Key { get; init; }
    public required string Destination { get; init; }
    public int ProvisionerIndex { get; init; }
    public bool IsArchive { get; init; }
}
