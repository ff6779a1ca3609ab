using System.Text.Json.Nodes;

namespace Bakery.Local.Instances;

/// <summary>
/// An image the stand-in holds the files of: the upper layer a local instance had when CreateImage froze it, on top
/// of its parent image's layers (or the base root filesystem). Stored as <c>images/AMI/image.json</c> beside
/// <c>images/AMI/layer</c>.
/// </summary>
public sealed record LocalImage
{
    public required string ImageId { get; init; }

    /// <summary>The AMI name given to CreateImage.</summary>
    public string? Name { get; init; }

    /// <summary>The image the instance was launched from (a local image, or a source AMI that ran as the base); empty for an imported one.</summary>
    public required string ParentImageId { get; init; }

    /// <summary>The base root filesystem under every layer (e.g. <c>debian-trixie</c>; for an imported image, the tarball it came from).</summary>
    public required string Base { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// Imported from a root filesystem tarball (<c>bakery local import</c>): its layer is a whole root filesystem and
    /// the bottom of its stack, with no base image under it.
    /// </summary>
    public bool Imported { get; init; }

    /// <summary>Deregistered while an instance or a later image still used its layer: deleted when nothing does.</summary>
    public bool Deregistered { get; init; }

    public JsonObject ToJson() => new()
    {
        ["imageId"] = ImageId,
        ["name"] = Name,
        ["parentImageId"] = ParentImageId,
        ["base"] = Base,
        ["createdAt"] = CreatedAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        ["deregistered"] = Deregistered,
        ["imported"] = Imported,
    };

    public static LocalImage? FromJson(JsonNode? node)
    {
        if (node is not JsonObject json || json["imageId"]?.GetValue<string>() is not { } id || json["parentImageId"]?.GetValue<string>() is not { } parent)
        {
            return null;
        }

        return new LocalImage
        {
            ImageId = id,
            Name = json["name"]?.GetValue<string>(),
            ParentImageId = parent,
            Base = json["base"]?.GetValue<string>() ?? BaseImage.DefaultName,
            CreatedAt = DateTimeOffset.TryParse(json["createdAt"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.RoundtripKind, out var created) ? created : DateTimeOffset.MinValue,
            Deregistered = json["deregistered"]?.GetValue<bool>() ?? false,
            Imported = json["imported"]?.GetValue<bool>() ?? false,
        };
    }
}
