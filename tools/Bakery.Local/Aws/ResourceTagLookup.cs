using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Bakery.Local.Aws;

/// <summary>
/// Reads the tags of EC2 resources from moto (DescribeTags, as the stand-in's own caller), so a recorded request
/// carries the <c>aws:ResourceTag/*</c> values IAM would have judged it by.
/// </summary>
internal static partial class ResourceTagLookup
{
    /// <summary>The EC2 resource ids a request names (instances, images, snapshots, groups, subnets, volumes, interfaces, VPCs).</summary>
    public static IEnumerable<string> IdsIn(IEnumerable<string> values) =>
        values.Where(value => ResourceId().IsMatch(value)).Distinct(StringComparer.Ordinal);

    public static async Task<Dictionary<string, IReadOnlyDictionary<string, string>>> TagsAsync(
        HttpClient upstream, Uri moto, string accessKeyId, string region, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = ids.ToDictionary(id => id, _ => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal), StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return found;
        }

        var form = new List<KeyValuePair<string, string>>
        {
            new("Action", "DescribeTags"),
            new("Version", "2016-11-15"),
            new("Filter.1.Name", "resource-id"),
        };
        form.AddRange(ids.Select((id, i) => new KeyValuePair<string, string>($"Filter.1.Value.{(i + 1).ToString(CultureInfo.InvariantCulture)}", id)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(moto, "/")) { Content = new FormUrlEncodedContent(form) };
        // moto routes by the credential scope and takes the region from it; it does not check the signature.
        request.Headers.TryAddWithoutValidation(
            "Authorization", $"AWS4-HMAC-SHA256 Credential={accessKeyId}/20260101/{region}/ec2/aws4_request, SignedHeaders=host, Signature=0");
        using var response = await upstream.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"DescribeTags for {string.Join(", ", ids)} failed in moto: {(int)response.StatusCode} {text}");
        }

        foreach (var item in XDocument.Parse(text).Descendants().Where(e => e.Name.LocalName == "item"))
        {
            string? Value(string name) => item.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
            if (Value("resourceId") is { } id && Value("key") is { } key && found.TryGetValue(id, out var tags))
            {
                ((Dictionary<string, string>)tags)[key] = Value("value") ?? "";
            }
        }

        return found;
    }

    [GeneratedRegex("^(i|ami|snap|sg|subnet|vol|eni|vpc)-[0-9a-f]{8,17}$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceId();
}
