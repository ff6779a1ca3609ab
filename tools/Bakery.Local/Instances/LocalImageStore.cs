using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bakery.Local.Instances;

/// <summary>
/// The images the stand-in holds the files of, and the layer stack an instance of any image id runs on: the image's
/// own layer, its parent's, ... down to the base root filesystem. An image id the store does not know (a source AMI
/// from moto's catalogue, or any other) runs on the base alone.
/// </summary>
public sealed class LocalImageStore(LocalInstancePaths paths, BaseImage baseImage)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public BaseImage Base => baseImage;

    public LocalImage? Find(string imageId)
    {
        var file = Path.Combine(paths.Images, imageId, "image.json");
        try
        {
            return File.Exists(file) ? LocalImage.FromJson(JsonNode.Parse(File.ReadAllText(file))) : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Every image still registered, newest first.</summary>
    public IReadOnlyList<LocalImage> List()
    {
        if (!Directory.Exists(paths.Images))
        {
            return [];
        }

        return [.. Directory.EnumerateDirectories(paths.Images)
            .Select(dir => Find(Path.GetFileName(dir)))
            .OfType<LocalImage>()
            .Where(image => !image.Deregistered)
            .OrderByDescending(image => image.CreatedAt)];
    }

    public string LayerOf(string imageId) => Path.Combine(paths.Images, imageId, "layer");

    /// <summary>The lower layers for an instance of <paramref name="imageId"/>, top first, the base root filesystem last.</summary>
    public IReadOnlyList<string> LayersFor(string imageId)
    {
        var layers = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = imageId;
        while (Find(current) is { } image && seen.Add(current))
        {
            layers.Add(LayerOf(current));
            if (image.Imported)
            {
                return layers;
            }

            current = image.ParentImageId;
        }

        layers.Add(baseImage.RootFilesystem);
        return layers;
    }

    /// <summary>What an instance of <paramref name="imageId"/> runs on, for the build's output.</summary>
    public string Describe(string imageId)
    {
        var chain = new List<LocalImage>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var current = imageId; Find(current) is { } image && seen.Add(current); current = image.ParentImageId)
        {
            chain.Add(image);
            if (image.Imported)
            {
                break;
            }
        }

        return chain switch
        {
            [] => $"source {imageId} runs locally as {baseImage.Description}",
            [{ Imported: true } only] => $"{imageId} runs locally on the root filesystem imported from {only.Base}",
            [.., { Imported: true } bottom] => $"{imageId} runs locally from its {chain.Count - 1} local layer(s) on the root filesystem imported as {bottom.ImageId}",
            _ => $"{imageId} runs locally from its {chain.Count} local layer(s) on {baseImage.Description}",
        };
    }

    /// <summary>
    /// Registers a root filesystem tarball (plain, gzip, xz, bzip2 or zstd: tar detects it) as the image
    /// <paramref name="imageId"/>, so instances of that AMI id (a build's <c>source_ami</c>) run on it instead of the
    /// base. Owners, modes and xattrs are kept. The stand-in's two additions to the base go in too: <c>policy-rc.d</c>
    /// (package installs start no services: instances share the host's network) and <c>/usr/local/sbin/reboot</c>
    /// (ends the instance's init, which the stand-in takes as a reboot).
    /// </summary>
    public async Task<LocalImage> ImportAsync(string imageId, string? name, string tarball, CancellationToken cancellationToken)
    {
        if (!File.Exists(tarball))
        {
            throw new FileNotFoundException($"{tarball}: no such file (a root filesystem tarball, e.g. from `docker export` or a distribution's rootfs download)", tarball);
        }

        var folder = Path.Combine(paths.Images, imageId);
        var partial = folder + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        var layer = Path.Combine(partial, "layer");
        Directory.CreateDirectory(layer);
        try
        {
            await HostCommand.RunAsync("tar", ["-x", "-p", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-f", Path.GetFullPath(tarball), "-C", layer], cancellationToken)
                .ConfigureAwait(false);
            if (!IsRootFilesystem(layer))
            {
                throw new InvalidOperationException($"{tarball} is not a root filesystem: it has no /bin/sh and /usr/bin/env (the agent runs commands with them)");
            }

            Directory.CreateDirectory(Path.Combine(layer, "usr", "sbin"));
            Directory.CreateDirectory(Path.Combine(layer, "usr", "local", "sbin"));
            await WriteExecutableAsync(Path.Combine(layer, "usr", "sbin", "policy-rc.d"), "#!/bin/sh\nexit 101\n", cancellationToken).ConfigureAwait(false);
            await WriteExecutableAsync(Path.Combine(layer, "usr", "local", "sbin", "reboot"),
                "#!/bin/sh\n# Local instances only: ends the init of this instance; the Bakery stand-in starts it again.\nkill -TERM 1\nsleep 30\n", cancellationToken).ConfigureAwait(false);
            var image = new LocalImage
            {
                ImageId = imageId,
                Name = name,
                ParentImageId = "",
                Base = Path.GetFileName(tarball),
                CreatedAt = DateTimeOffset.UtcNow,
                Imported = true,
            };
            await File.WriteAllTextAsync(Path.Combine(partial, "image.json"), image.ToJson().ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.Move(partial, folder);
            return image;
        }
        catch
        {
            Directory.Delete(partial, recursive: true);
            throw;
        }
    }

    // Looked up inside the layer without following absolute links out of it (/bin -> usr/bin is relative in merged-/usr
    // systems, but a link may point anywhere).
    private static bool IsRootFilesystem(string layer) =>
        ((string[])["bin/sh", "usr/bin/sh"]).Any(path => ExistsInside(layer, path)) && ExistsInside(layer, "usr/bin/env");

    private static bool ExistsInside(string root, string path)
    {
        var current = root;
        foreach (var part in path.Split('/'))
        {
            var next = Path.Combine(current, part);
            for (var hops = 0; hops < 16 && new FileInfo(next) is { LinkTarget: { } target }; hops++)
            {
                next = target.StartsWith('/') ? Path.Combine(root, target.TrimStart('/')) : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, target));
            }

            if (!File.Exists(next) && !Directory.Exists(next))
            {
                return false;
            }

            current = next;
        }

        return true;
    }

    private static async Task WriteExecutableAsync(string path, string text, CancellationToken cancellationToken)
    {
        File.Delete(path);
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
            UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>True when <paramref name="imageId"/> has layers here (false: it runs on the base alone).</summary>
    public bool Holds(string imageId) => Find(imageId) is { Deregistered: false };

    /// <summary>
    /// Freezes an instance's upper layer as the layer of a new image (a copy: the instance may run on). <c>cp -a</c>
    /// keeps what overlayfs needs in a lower layer: whiteouts (0/0 character devices) and opaque-directory xattrs.
    /// </summary>
    public async Task<LocalImage> RegisterAsync(string imageId, string? name, string parentImageId, string upperLayer, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(paths.Images, imageId);
        var partial = folder + ".partial";
        if (Directory.Exists(partial))
        {
            Directory.Delete(partial, recursive: true);
        }

        Directory.CreateDirectory(partial);
        await HostCommand.RunAsync("cp", ["-a", "--reflink=auto", "-T", upperLayer, Path.Combine(partial, "layer")], cancellationToken).ConfigureAwait(false);
        var image = new LocalImage
        {
            ImageId = imageId,
            Name = name,
            ParentImageId = parentImageId,
            Base = baseImage.Name,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await File.WriteAllTextAsync(Path.Combine(partial, "image.json"), image.ToJson().ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
        Directory.Move(partial, folder);
        return image;
    }

    /// <summary>
    /// Forgets an image: its layer is deleted at once unless a later image or an instance still stacks on it (then it
    /// is marked and <see cref="CollectGarbage"/> deletes it once nothing does).
    /// </summary>
    public void Deregister(string imageId, IEnumerable<string> layersInUse)
    {
        if (Find(imageId) is not { } image)
        {
            return;
        }

        var file = Path.Combine(paths.Images, imageId, "image.json");
        File.WriteAllText(file, (image with { Deregistered = true }).ToJson().ToJsonString(Indented));
        CollectGarbage(layersInUse);
    }

    /// <summary>Deletes deregistered images no instance or remaining image stacks on.</summary>
    public void CollectGarbage(IEnumerable<string> layersInUse)
    {
        if (!Directory.Exists(paths.Images))
        {
            return;
        }

        var used = new HashSet<string>(layersInUse, StringComparer.Ordinal);
        bool deleted;
        do
        {
            deleted = false;
            var all = Directory.EnumerateDirectories(paths.Images).Select(dir => Find(Path.GetFileName(dir))).OfType<LocalImage>().ToList();
            var parents = all.Select(image => image.ParentImageId).ToHashSet(StringComparer.Ordinal);
            foreach (var image in all.Where(image => image.Deregistered && !parents.Contains(image.ImageId) && !used.Contains(LayerOf(image.ImageId))))
            {
                Directory.Delete(Path.Combine(paths.Images, image.ImageId), recursive: true);
                deleted = true;
            }
        }
        while (deleted);
    }

    /// <summary>Deletes every image (<c>bakery local down</c>).</summary>
    public void Clear()
    {
        if (Directory.Exists(paths.Images))
        {
            Directory.Delete(paths.Images, recursive: true);
        }
    }
}
