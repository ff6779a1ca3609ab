using System.Formats.Tar;
using System.IO.Compression;

namespace Bakery.Core.Bundles;

/// <summary>A folder of a bundle as one <c>.tar.gz</c>, the way a <c>file</c> provisioner's directory travels to the instance.</summary>
public static class BundleArchive
{
    /// <summary>
    /// A gzip'd ustar archive of <paramref name="entries"/> (path inside the archive → content), in the order given,
    /// regular files with mode 0644 and the given modification time, so the same files make the same archive.
    /// </summary>
    public static byte[] CreateTarGz(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> entries, DateTimeOffset modified)
    {
        ArgumentNullException.ThrowIfNull(entries);
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
                {
                    Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
                    ModificationTime = modified,
                    DataStream = new MemoryStream(content.ToArray(), writable: false),
                };
                tar.WriteEntry(entry);
            }
        }

        return output.ToArray();
    }
}
