using Bakery.BuildFiles.Model;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Internal;

/// <summary>
/// Binds <c>post-processors</c>. Packer allows three shapes per entry: a type name, an object, or an array (a sequence);
/// all are flattened into one list of manifest post-processors.
/// </summary>
internal static class PostProcessorBinder
{
    private static readonly string[] OtherPackerTypes =
        ["amazon-import", "artifice", "checksum", "compress", "docker-import", "docker-push", "docker-tag", "shell-local", "vagrant", "vagrant-cloud"];

    /// <summary>Every post-processor definition node, flattened from the three shapes.</summary>
    public static IReadOnlyList<JsonNode> Flatten(JsonNode section, DiagnosticBag bag)
    {
        if (section is not JsonArrayNode array)
        {
            bag.Error(section, $"post-processors must be an array, not {section.KindName}");
            return [];
        }

        var result = new List<JsonNode>();
        foreach (var item in array.Items)
        {
            if (item is JsonArrayNode sequence)
            {
                result.AddRange(sequence.Items);
            }
            else
            {
                result.Add(item);
            }
        }

        return result;
    }

    public static string? PeekType(JsonNode node) => node is JsonStringNode text ? text.Value : BuilderBinder.PeekType(node);

    public static ManifestPostProcessor? Bind(JsonNode node, BindingScope scope, IReadOnlyCollection<string> builderNames)
    {
        var bag = scope.Bag;
        if (node is JsonStringNode shorthand)
        {
            if (shorthand.Value == "manifest")
            {
                return new ManifestPostProcessor();
            }

            ReportUnknownType(shorthand.Value, shorthand, bag);
            return null;
        }

        var errorsBefore = bag.ErrorCount;
        if (ObjectReader.OpenDefinition(node, scope, "a post-processor must be a type name or an object", out var type) is not { } reader)
        {
            return null;
        }

        if (type != "manifest")
        {
            ReportUnknownType(type, reader.Take("type")!, bag);
            return null;
        }

        var defaults = new ManifestPostProcessor();
        var only = ProvisionerBinder.BuildNames(reader, "only", builderNames);
        var except = ProvisionerBinder.BuildNames(reader, "except", builderNames);
        var result = new ManifestPostProcessor
        {
            Output = reader.String("output") ?? defaults.Output,
            StripPath = reader.Bool("strip_path") ?? false,
            StripTime = reader.Bool("strip_time") ?? false,
            CustomData = reader.StringMap("custom_data") ?? new Dictionary<string, string>(),
            Only = only,
            Except = except,
        };
        reader.Accept("keep_input_artifact", "name");
        reader.Finish(ignoreUnderscoreKeys: true);
        return bag.ErrorCount == errorsBefore ? result : null;
    }

    private static void ReportUnknownType(string type, JsonNode node, DiagnosticBag bag)
    {
        var note = OtherPackerTypes.Contains(type) ? " (Packer has it, Bakery does not)" : "";
        bag.Error(node, $"unknown post-processor type \"{type}\"{note}: Bakery supports manifest", Suggestions.Closest(type, ["manifest"]));
    }
}
