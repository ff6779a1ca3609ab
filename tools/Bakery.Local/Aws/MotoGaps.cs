using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Primitives;

namespace Bakery.Local.Aws;

/// <summary>
/// Where moto answers an EC2 call differently from AWS, the stand-in's proxy makes it answer as AWS does, so the
/// product sends what AWS expects and nothing in it knows moto:
/// <list type="bullet">
/// <item>CreateImage with snapshot <c>TagSpecifications</c>: moto 5.1 answers 500; CopyImage ignores its
/// <c>TagSpecifications</c>. Those specifications are taken out of the request and their tags put on the new image and
/// its snapshots right after (CreateTags), before the caller gets the answer, so from the caller's point of view they
/// carry them from the start.</item>
/// <item><c>ClientToken</c>: moto ignores it, so a repeated RunInstances starts a second instance. The first
/// successful answer per region, action and token is kept and given again for a repeated call, as EC2 does.</item>
/// </list>
/// </summary>
internal sealed class MotoGaps
{
    private readonly ConcurrentDictionary<string, byte[]> answersByToken = new(StringComparer.Ordinal);

    /// <summary>True when the EC2 call needs a bridge: a ClientToken, or snapshot tags moto cannot take.</summary>
    public static bool Applies(IReadOnlyDictionary<string, StringValues> form) =>
        form.ContainsKey("ClientToken") || DeferredSpecifications(form).Count > 0;

    /// <summary>A DescribeImages call, whose answer <see cref="WithEbsRootDevices"/> corrects.</summary>
    public static bool DescribesImages(IReadOnlyDictionary<string, StringValues> form) =>
        form.TryGetValue("Action", out var action) && action == "DescribeImages";

    /// <summary>
    /// moto 5.2.1 reports <c>rootDeviceType</c> <c>standard</c> for the images CreateImage makes; AWS reports <c>ebs</c>
    /// for an image of an EBS-backed instance, and every instance moto runs is EBS-backed (its root is a volume).
    /// Prepare refuses non-EBS source images, as amazon-ebs requires, so a chained bake needs the real answer.
    /// </summary>
    public static byte[] WithEbsRootDevices(byte[] answer) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(answer).Replace("<rootDeviceType>standard</rootDeviceType>", "<rootDeviceType>ebs</rootDeviceType>", StringComparison.Ordinal));

    public static string TokenKey(string region, IReadOnlyDictionary<string, StringValues> form) =>
        $"{region}\n{form["Action"]}\n{form["ClientToken"]}";

    /// <summary>The answer an earlier call with this token got, or null.</summary>
    public byte[]? Repeated(string region, IReadOnlyDictionary<string, StringValues> form) =>
        form.ContainsKey("ClientToken") && answersByToken.TryGetValue(TokenKey(region, form), out var answer) ? answer : null;

    /// <summary>Forgets every answer (moto was reset: the instances they name are gone).</summary>
    public void Forget() => answersByToken.Clear();

    public void Remember(string region, IReadOnlyDictionary<string, StringValues> form, byte[] answer)
    {
        if (form.ContainsKey("ClientToken"))
        {
            answersByToken.TryAdd(TokenKey(region, form), answer);
        }
    }

    /// <summary>
    /// The request without the TagSpecifications moto cannot apply (the others renumbered from 1), and the tags they
    /// asked for by resource type (<c>image</c>, <c>snapshot</c>).
    /// </summary>
    public static (string Body, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Deferred) WithoutDeferredTags(
        IReadOnlyDictionary<string, StringValues> form)
    {
        var deferred = DeferredSpecifications(form);
        var tagsByType = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var specification in deferred)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; form.TryGetValue($"{specification}.Tag.{i}.Key", out var key); i++)
            {
                tags[key.ToString()] = form.TryGetValue($"{specification}.Tag.{i}.Value", out var value) ? value.ToString() : "";
            }

            tagsByType[form[$"{specification}.ResourceType"].ToString()] = tags;
        }

        var kept = new List<KeyValuePair<string, string>>();
        var renumbered = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = 1;
        foreach (var (name, value) in form)
        {
            if (deferred.Any(specification => name.StartsWith(specification + ".", StringComparison.Ordinal)))
            {
                continue;
            }

            var renamed = name;
            if (name.StartsWith("TagSpecification.", StringComparison.Ordinal))
            {
                var index = name.Split('.')[1];
                if (!renumbered.TryGetValue(index, out var newIndex))
                {
                    renumbered[index] = newIndex = (next++).ToString(CultureInfo.InvariantCulture);
                }

                renamed = $"TagSpecification.{newIndex}{name["TagSpecification.".Length..][index.Length..]}";
            }

            kept.Add(new(renamed, value.ToString()));
        }

        return (Encode(kept), tagsByType);
    }

    /// <summary>The image id of a CreateImage/CopyImage answer.</summary>
    public static string? ImageIdOf(byte[] answer)
    {
        try
        {
            return XDocument.Parse(Encoding.UTF8.GetString(answer)).Descendants().FirstOrDefault(e => e.Name.LocalName == "imageId")?.Value;
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    /// <summary>The form of a DescribeImages call for one image.</summary>
    public static string DescribeImage(string imageId) => Encode(new Dictionary<string, string>
    {
        ["Action"] = "DescribeImages",
        ["Version"] = "2016-11-15",
        ["ImageId.1"] = imageId,
    });

    /// <summary>The snapshot ids in a DescribeImages answer.</summary>
    public static IReadOnlyList<string> SnapshotIdsOf(string describeAnswer) =>
        [.. XDocument.Parse(describeAnswer).Descendants().Where(e => e.Name.LocalName == "snapshotId").Select(e => e.Value).Where(v => v.Length > 0).Distinct()];

    /// <summary>The form of a CreateTags call.</summary>
    public static string CreateTags(IReadOnlyList<string> resourceIds, IReadOnlyDictionary<string, string> tags)
    {
        var form = new List<KeyValuePair<string, string>> { new("Action", "CreateTags"), new("Version", "2016-11-15") };
        form.AddRange(resourceIds.Select((id, i) => new KeyValuePair<string, string>($"ResourceId.{i + 1}", id)));
        var n = 1;
        foreach (var (key, value) in tags)
        {
            form.Add(new($"Tag.{n}.Key", key));
            form.Add(new($"Tag.{n}.Value", value));
            n++;
        }

        return Encode(form);
    }

    /// <summary>CreateImage's snapshot specification (moto answers 500), CopyImage's every one (moto ignores them).</summary>
    private static List<string> DeferredSpecifications(IReadOnlyDictionary<string, StringValues> form)
    {
        var found = new List<string>();
        if (!form.TryGetValue("Action", out var action) || action != "CreateImage" && action != "CopyImage")
        {
            return found;
        }

        for (var i = 1; form.TryGetValue($"TagSpecification.{i}.ResourceType", out var type); i++)
        {
            if (action == "CopyImage" || type == "snapshot")
            {
                found.Add($"TagSpecification.{i}");
            }
        }

        return found;
    }

    private static string Encode(IEnumerable<KeyValuePair<string, StringValues>> form) =>
        Encode(form.Select(pair => new KeyValuePair<string, string>(pair.Key, pair.Value.ToString())));

    private static string Encode(IEnumerable<KeyValuePair<string, string>> form) =>
        string.Join('&', form.Select(pair => $"{Uri.EscapeDataString(pair.Key)}={Uri.EscapeDataString(pair.Value)}"));
}
