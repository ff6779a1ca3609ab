using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Primitives;

namespace Bakery.Local.Aws;

/// <summary>
/// The image lifecycle calls moto 5.2.1 does not implement, answered by the stand-in as EC2 does, so the Lifecycle step
/// runs unchanged: EnableImageDeprecation, DisableImage, EnableImageDeregistrationProtection and
/// DisableImageDeregistrationProtection keep their effect here per region and image, and DescribeImages answers carry it
/// (<c>deprecationTime</c>, <c>deregistrationProtection</c>; a disabled image is left out unless the call sets
/// <c>IncludeDisabled</c>, then shown with <c>imageState</c> <c>disabled</c>), as the EC2 API reference describes.
/// </summary>
internal sealed class ImageLifecycleGaps
{
    private const string Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private static readonly string[] Actions =
        ["EnableImageDeprecation", "DisableImage", "EnableImageDeregistrationProtection", "DisableImageDeregistrationProtection"];

    private readonly ConcurrentDictionary<string, ImageLifecycle> images = new(StringComparer.Ordinal);

    /// <summary>True for a call moto cannot answer that this class answers.</summary>
    public static bool Answers(IReadOnlyDictionary<string, StringValues> form) =>
        form.TryGetValue("Action", out var action) && Actions.Contains(action.ToString(), StringComparer.Ordinal);

    /// <summary>Forgets every image's lifecycle (moto was reset).</summary>
    public void Forget() => images.Clear();

    /// <summary>Applies the call to <paramref name="imageId"/> (which the caller checked moto knows) and returns EC2's answer.</summary>
    public byte[] Apply(string region, IReadOnlyDictionary<string, StringValues> form, DateTimeOffset now)
    {
        var action = form["Action"].ToString();
        var imageId = form["ImageId"].ToString();
        var key = $"{region}\n{imageId}";
        var current = images.GetOrAdd(key, _ => new ImageLifecycle());
        lock (current)
        {
            switch (action)
            {
                case "EnableImageDeprecation":
                    // EC2 rounds the time up to the minute.
                    var at = DateTimeOffset.Parse(form["DeprecateAt"].ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                    current.DeprecationTime = at.Second == 0 && at.Millisecond == 0 ? at : at.AddSeconds(60 - at.Second).AddMilliseconds(-at.Millisecond);
                    break;
                case "DisableImage":
                    current.Disabled = true;
                    break;
                case "EnableImageDeregistrationProtection":
                    current.Protected = true;
                    break;
                default:
                    current.Protected = false;
                    break;
            }
        }

        var returned = action == "EnableImageDeregistrationProtection" || action == "DisableImageDeregistrationProtection"
            ? $"<return>{(action.StartsWith("Enable", StringComparison.Ordinal) ? "enabled" : "disabled")}</return>"
            : "<return>true</return>";
        return Encoding.UTF8.GetBytes(
            $"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response xmlns=\"{Namespace}\"><requestId>{Guid.NewGuid()}</requestId>{returned}</{action}Response>");
    }

    /// <summary>A DescribeImages answer from moto with each image's lifecycle as EC2 would report it.</summary>
    public byte[] Amend(string region, IReadOnlyDictionary<string, StringValues> form, byte[] answer)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(Encoding.UTF8.GetString(answer));
        }
        catch (System.Xml.XmlException)
        {
            return answer;
        }

        var includeDisabled = form.TryGetValue("IncludeDisabled", out var include) && include == "true";
        var set = document.Root?.Elements().FirstOrDefault(e => e.Name.LocalName == "imagesSet");
        if (set is null)
        {
            return answer;
        }

        foreach (var item in set.Elements().ToList())
        {
            var id = item.Elements().FirstOrDefault(e => e.Name.LocalName == "imageId")?.Value;
            images.TryGetValue($"{region}\n{id}", out var lifecycle);
            var ns = item.Name.Namespace;
            bool disabled, protect;
            DateTimeOffset? deprecation;
            if (lifecycle is null)
            {
                (disabled, protect, deprecation) = (false, false, null);
            }
            else
            {
                lock (lifecycle)
                {
                    (disabled, protect, deprecation) = (lifecycle.Disabled, lifecycle.Protected, lifecycle.DeprecationTime);
                }
            }

            if (disabled && !includeDisabled)
            {
                item.Remove();
                continue;
            }

            if (disabled && item.Elements().FirstOrDefault(e => e.Name.LocalName == "imageState") is { } state)
            {
                state.Value = "disabled";
            }

            item.Add(new XElement(ns + "deregistrationProtection", protect ? "enabled" : "disabled"));
            if (deprecation is { } at)
            {
                item.Add(new XElement(ns + "deprecationTime", at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
            }
        }

        return Encoding.UTF8.GetBytes(document.Declaration + "\n" + document.ToString(SaveOptions.DisableFormatting));
    }

    /// <summary>EC2's answer for an image it does not know.</summary>
    public static byte[] NotFound(string imageId) => Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>InvalidAMIID.NotFound</Code>"
        + $"<Message>The image id '[{System.Security.SecurityElement.Escape(imageId)}]' does not exist</Message></Error></Errors><RequestID>{Guid.NewGuid()}</RequestID></Response>");

    private sealed class ImageLifecycle
    {
        public DateTimeOffset? DeprecationTime { get; set; }
        public bool Disabled { get; set; }
        public bool Protected { get; set; }
    }
}
