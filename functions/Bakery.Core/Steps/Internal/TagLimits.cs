using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// EC2 allows at most 50 tags per resource (Amazon EC2 User Guide, "Tag restrictions": "Maximum number of tags per
/// resource – 50", https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/Using_Tags.html#tag-restrictions), Bakery's own
/// tags and the instance's Name included. Prepare checks each resource a builder tags when it reads the build file, so
/// a file over the limit is refused before anything is launched, not by RunInstances or, worse, by TagImage after the
/// AMI exists.
/// </summary>
internal static class TagLimits
{
    public const int MaxTagsPerResource = 50;

    /// <summary>Throws <see cref="BuildFileInvalid"/> naming the file, the builder, the keys and the fix.</summary>
    public static void Check(string file, AmazonEbsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // The builder instance also carries its Name and bakery:role (the tag instance actions are conditioned on).
        IReadOnlyDictionary<string, string> name = new Dictionary<string, string>
        {
            ["Name"] = LaunchStep.DefaultInstanceName,
            [StepStates.RoleTag] = StepStates.BuilderInstanceRole,
        };
        Check(file, builder, "tags", "the AMI (and each copy)", builder.Tags);
        Check(file, builder, "tags + snapshot_tags", "each snapshot of the AMI", builder.Tags, builder.SnapshotTags);
        Check(file, builder, "run_tags", "the builder instance (with its Name)", builder.RunTags, name);
        Check(file, builder, "run_volume_tags", "the builder's volumes", builder.RunVolumeTags);
        Check(file, builder, "spot_tags", "the spot request", builder.SpotTags);
    }

    private static void Check(string file, AmazonEbsBuilder builder, string keys, string resource, params IReadOnlyDictionary<string, string>[] layers)
    {
        var count = layers.SelectMany(layer => layer.Keys).Concat(StepStates.BakeryTagKeys).Distinct(StringComparer.Ordinal).Count();
        if (count > MaxTagsPerResource)
        {
            var own = StepStates.BakeryTagKeys.Count;
            throw new BuildFileInvalid(
                $"{file}: builder '{builder.Name}': {keys} would put {count} tags on {resource}, {own} of them Bakery's own " +
                $"({string.Join(", ", StepStates.BakeryTagKeys)}); EC2 allows {MaxTagsPerResource} tags per resource. " +
                $"Remove at least {count - MaxTagsPerResource} key(s) from {keys}.");
        }
    }
}
