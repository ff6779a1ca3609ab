using Bakery.BuildFiles.Internal;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Reads Bakery's settings (a sidecar <c>NAME.bakery.json</c>, or the <c>"bakery"</c> object of a console input) with
/// the build files' own JSON reader, so a problem is reported the same way: <c>FILE:LINE:COL: path: message (did you
/// mean X?)</c>. Strict: an unknown key is an error (a misspelt setting must not silently publish nothing); keys
/// starting with <c>_</c> are comments, as in a Packer build file. Never throws for bad content.
/// </summary>
public static class BakerySettingsLoader
{
    /// <summary>The sidecar's suffix: <c>web.json</c> (or <c>web.pkr.hcl</c>) has its settings in <c>web.bakery.json</c>.</summary>
    public const string SidecarSuffix = ".bakery.json";

    private static readonly string[] TopLevelKeys = ["publish_parameter", "capacity", "lifecycle", "test_image"];
    private static readonly string[] PublishParameterKeys = ["name"];
    private static readonly string[] CapacityKeys = ["fallback_instance_types", "on_demand_fallback"];

    /// <summary>The sidecar path (or S3 key) of a build file: its stem plus <see cref="SidecarSuffix"/>.</summary>
    public static string SidecarPathOf(string buildFilePath)
    {
        ArgumentNullException.ThrowIfNull(buildFilePath);
        return BuildFileLoader.Stem(buildFilePath) + SidecarSuffix;
    }

    /// <summary>Whether <paramref name="path"/> is a settings sidecar rather than a build file.</summary>
    public static bool IsSidecar(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return path.EndsWith(SidecarSuffix, StringComparison.OrdinalIgnoreCase);
    }

    /// <param name="path">How the user knows the file (local path, <c>s3://</c> key, or a name for a console input): used in messages.</param>
    /// <param name="content">The JSON (UTF-8).</param>
    /// <param name="files">Where <c>test_image</c>'s scripts are looked up; null: nowhere (a script named there is not found).</param>
    public static BakerySettingsResult Load(string path, ReadOnlyMemory<byte> content, SettingsFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bag = new DiagnosticBag(path);
        var root = JsonTreeReader.Read(content, bag);
        if (root is null)
        {
            return new BakerySettingsResult { Errors = bag.Errors };
        }

        if (root is not JsonObjectNode settings)
        {
            bag.Error(root, $"Bakery's settings are a JSON object such as {{\"publish_parameter\": {{\"name\": \"/golden/{{{{build_name}}}}\"}}}}, not {root.KindName}");
            return new BakerySettingsResult { Errors = bag.Errors };
        }

        UnknownKeys(settings, TopLevelKeys, bag);
        var publish = ReadPublishParameter(settings, bag);
        var capacity = ReadCapacity(settings, bag);
        var lifecycle = LifecycleSettingsReader.Read(settings, bag);
        var test = TestImageSettingsReader.Read(settings, bag, files);
        return bag.ErrorCount > 0
            ? new BakerySettingsResult { Errors = bag.Errors }
            : new BakerySettingsResult { Settings = new BakerySettings { PublishParameter = publish, Capacity = capacity, Lifecycle = lifecycle, TestImage = test } };
    }

    private static PublishParameterSettings? ReadPublishParameter(JsonObjectNode settings, DiagnosticBag bag)
    {
        var value = settings.Find("publish_parameter")?.Value;
        if (value is null or JsonScalarNode { Kind: JsonScalarKind.Null })
        {
            return null;
        }

        if (value is not JsonObjectNode publish)
        {
            bag.Error(value, $"publish_parameter must be an object such as {{\"name\": \"/golden/{{{{build_name}}}}/latest\"}}, not {value.KindName}");
            return null;
        }

        UnknownKeys(publish, PublishParameterKeys, bag);
        var name = publish.Find("name")?.Value;
        switch (name)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                bag.Error(publish.Position, JsonPaths.Property(publish.Path, "name"),
                    "name is required: the parameter's name, e.g. \"/golden/{{build_name}}/latest\"");
                return null;
            case JsonStringNode text when ParameterNames.ProblemWithTemplate(text.Value) is { } problem:
                bag.Error(text, problem);
                return null;
            case JsonStringNode text:
                return new PublishParameterSettings { Name = text.Value };
            default:
                bag.Error(name, $"name must be a string, not {name.KindName}");
                return null;
        }
    }

    private static CapacitySettings? ReadCapacity(JsonObjectNode settings, DiagnosticBag bag)
    {
        var value = settings.Find("capacity")?.Value;
        if (value is null or JsonScalarNode { Kind: JsonScalarKind.Null })
        {
            return null;
        }

        if (value is not JsonObjectNode capacity)
        {
            bag.Error(value, $"capacity must be an object such as {{\"fallback_instance_types\": [\"t3a.micro\", \"t2.micro\"], \"on_demand_fallback\": true}}, not {value.KindName}");
            return null;
        }

        UnknownKeys(capacity, CapacityKeys, bag);
        var types = new List<string>();
        switch (capacity.Find("fallback_instance_types")?.Value)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                break;
            case JsonArrayNode list:
                foreach (var item in list.Items)
                {
                    if (item is not JsonStringNode text)
                    {
                        bag.Error(item, $"fallback_instance_types holds instance type names such as \"t3a.micro\", not {item.KindName}");
                    }
                    else if (!InstanceTypeNames.IsWellFormed(text.Value))
                    {
                        bag.Error(item, $"\"{text.Value}\" is not an EC2 instance type (lower-case letters, digits, . and -, like t3a.micro)");
                    }
                    else if (types.Contains(text.Value, StringComparer.Ordinal))
                    {
                        bag.Error(item, $"\"{text.Value}\" is listed twice; each type is tried once");
                    }
                    else
                    {
                        types.Add(text.Value);
                    }
                }

                break;
            case var other:
                bag.Error(other, $"fallback_instance_types must be an array such as [\"t3a.micro\", \"t2.micro\"], not {other.KindName}");
                break;
        }

        var onDemand = false;
        switch (capacity.Find("on_demand_fallback")?.Value)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                break;
            case JsonScalarNode { Kind: JsonScalarKind.Boolean } flag:
                onDemand = flag.Text == "true";
                break;
            case var other:
                bag.Error(other, $"on_demand_fallback must be true or false, not {other.KindName}");
                break;
        }

        return new CapacitySettings { FallbackInstanceTypes = types, OnDemandFallback = onDemand };
    }

    internal static void UnknownKeys(JsonObjectNode node, string[] known, DiagnosticBag bag)
    {
        foreach (var property in node.Properties)
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal) && !property.Name.StartsWith('_'))
            {
                var where = node.Path.Length == 0 ? "Bakery's settings" : node.Path;
                bag.Error(property.NamePosition, JsonPaths.Property(node.Path, property.Name),
                    $"unknown key \"{property.Name}\" ({where} may hold {string.Join(", ", known)})", Suggestions.Closest(property.Name, known));
            }
        }
    }
}
