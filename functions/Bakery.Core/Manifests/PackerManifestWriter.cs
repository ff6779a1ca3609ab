using System.Text.Json;
using Bakery.BuildFiles.Model;

namespace Bakery.Core.Manifests;

/// <summary>
/// Writes manifests the way Packer's <c>manifest</c> post-processor does: one entry per finished build, appended to
/// whatever the file already holds, <c>last_run_uuid</c> set to this run. Pure functions over bytes so the Publish
/// step (S3) and the CLI (a local file) share them. Appending is idempotent per run: a retried publish does not add
/// the same build twice.
/// </summary>
public static class PackerManifestWriter
{
    /// <summary>Packer's artifact id for AMIs: <c>region:ami-id</c> pairs, sorted, joined with commas.</summary>
    public static string ArtifactId(IReadOnlyDictionary<string, string> amis)
    {
        ArgumentNullException.ThrowIfNull(amis);
        return string.Join(",", amis.Select(pair => $"{pair.Key}:{pair.Value}").Order(StringComparer.Ordinal));
    }

    /// <summary>The entry <paramref name="artifact"/> makes under <paramref name="settings"/> (strip_path, strip_time, custom_data).</summary>
    public static PackerManifestBuild CreateEntry(ManifestArtifact artifact, ManifestPostProcessor settings, string runUuid)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(runUuid);
        return new PackerManifestBuild
        {
            Name = artifact.BuildName,
            BuilderType = artifact.BuilderType,
            BuildTime = settings.StripTime ? 0 : artifact.FinishedAt.ToUnixTimeSeconds(),
            Files = artifact.Files?
                .Select(file => settings.StripPath ? file with { Name = BaseName(file.Name) } : file)
                .ToList(),
            ArtifactId = ArtifactId(artifact.Amis),
            PackerRunUuid = runUuid,
            // Packer writes custom_data as a Go map: encoding/json orders its keys by their bytes.
            CustomData = settings.CustomData.Count == 0 ? null : new SortedDictionary<string, string>(settings.CustomData.ToDictionary(), StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// <paramref name="existing"/> (null or empty when there is no file yet) with <paramref name="entries"/> appended
    /// and <c>last_run_uuid</c> = <paramref name="runUuid"/>. An entry already present for this run (same name and
    /// artifact id) is not added again.
    /// </summary>
    public static PackerManifest Append(PackerManifest? existing, IEnumerable<PackerManifestBuild> entries, string runUuid)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(runUuid);
        var builds = new List<PackerManifestBuild>(existing?.Builds ?? []);
        foreach (var entry in entries)
        {
            var alreadyThere = builds.Any(build =>
                build.PackerRunUuid == entry.PackerRunUuid && build.Name == entry.Name && build.ArtifactId == entry.ArtifactId);
            if (!alreadyThere)
            {
                builds.Add(entry);
            }
        }

        return new PackerManifest { Builds = builds, LastRunUuid = runUuid };
    }

    /// <summary>Reads a manifest file's content; empty content is no manifest yet.</summary>
    /// <exception cref="InvalidDataException">The content is not a Packer manifest.</exception>
    public static PackerManifest? Parse(ReadOnlySpan<byte> content)
    {
        if (content.Trim(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(content, PackerManifestJsonContext.Default.PackerManifest);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The existing manifest is not a Packer manifest: {ex.Message}", ex);
        }
    }

    /// <summary>The manifest as Packer writes it: indented with two spaces, Packer's field order.</summary>
    public static byte[] Serialize(PackerManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return JsonSerializer.SerializeToUtf8Bytes(manifest, PackerManifestJsonContext.Default.PackerManifest);
    }

    /// <summary>Appends to the manifest file at <paramref name="path"/> (created when missing), as the CLI does locally.</summary>
    public static async Task AppendToFileAsync(string path, IEnumerable<PackerManifestBuild> entries, string runUuid, CancellationToken cancellationToken)
    {
        var existing = File.Exists(path) ? Parse(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) : null;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllBytesAsync(path, Serialize(Append(existing, entries, runUuid)), cancellationToken).ConfigureAwait(false);
    }

    private static string BaseName(string path) => path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
}
