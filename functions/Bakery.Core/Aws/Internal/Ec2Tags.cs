using Amazon.EC2;
using Amazon.EC2.Model;

namespace Bakery.Core.Aws.Internal;

internal static class Ec2Tags
{
    public static List<Tag> ToTags(IReadOnlyDictionary<string, string> tags) =>
        [.. tags.Select(tag => new Tag(tag.Key, tag.Value))];

    public static TagSpecification Specification(ResourceType resourceType, IReadOnlyDictionary<string, string> tags) =>
        new() { ResourceType = resourceType, Tags = ToTags(tags) };

    /// <summary>One <c>tag:KEY</c> filter per tag, so EC2 answers only resources carrying all of them.</summary>
    public static List<Filter> Filters(IReadOnlyDictionary<string, string> tags) =>
        [.. tags.Select(tag => new Filter($"tag:{tag.Key}", [tag.Value]))];

    public static Dictionary<string, string> FromTags(IEnumerable<Tag>? tags) =>
        (tags ?? []).GroupBy(tag => tag.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
}
