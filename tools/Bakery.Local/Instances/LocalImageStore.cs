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
            current = image.ParentImageId;
        }

        layers.Add(baseImage.RootFilesystem);
        return layers;
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
