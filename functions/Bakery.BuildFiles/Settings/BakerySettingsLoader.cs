using Bakery.BuildFiles.Internal;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Templates;
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

    private static readonly string[] TopLevelKeys = ["publish_parameter", "test_image"];
    private static readonly string[] PublishParameterKeys = ["name"];
    private static readonly string[] TestImageKeys = ["provisioners", "on_failure", "instance_type"];
    private static readonly string[] TestProvisionerTypes = ["shell", "powershell"];

    /// <summary>The sidecar path (or S3 key) of a build file: its stem plus <see cref="SidecarSuffix"/>.</summary>
    public static string SidecarPathOf(string buildFilePath)
    {
        ArgumentNullException.ThrowIfNull(buildFilePath);
        var stem = BuildFileLoader.IsHcl2(buildFilePath) ? buildFilePath[..^".pkr.hcl".Length]
            : buildFilePath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? buildFilePath[..^".json".Length]
            : buildFilePath;
        return stem + SidecarSuffix;
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
        var test = ReadTestImage(settings, bag, files);
        return bag.ErrorCount > 0
            ? new BakerySettingsResult { Errors = bag.Errors }
            : new BakerySettingsResult { Settings = new BakerySettings { PublishParameter = publish, TestImage = test } };
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

    private static TestImageSettings? ReadTestImage(JsonObjectNode settings, DiagnosticBag bag, SettingsFiles? files)
    {
        const string Example = "{\"provisioners\": [{\"type\": \"shell\", \"inline\": [\"nginx -v\"]}]}";
        var value = settings.Find("test_image")?.Value;
        if (value is null or JsonScalarNode { Kind: JsonScalarKind.Null })
        {
            return null;
        }

        if (value is not JsonObjectNode test)
        {
            bag.Error(value, $"test_image must be an object such as {Example}, not {value.KindName}");
            return null;
        }

        UnknownKeys(test, TestImageKeys, bag);
        var provisioners = ReadTestProvisioners(test, bag, files);
        var onFailure = TestFailureActions.Deregister;
        switch (test.Find("on_failure")?.Value)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                break;
            case JsonStringNode text when TestFailureActions.All.Contains(text.Value, StringComparer.Ordinal):
                onFailure = text.Value;
                break;
            case JsonStringNode text:
                bag.Error(text, $"on_failure must be \"{TestFailureActions.Deregister}\" (remove the image, the default) or \"{TestFailureActions.Tag}\" " +
                    "(keep it, tagged bakery:tested=false)", Suggestions.Closest(text.Value, TestFailureActions.All));
                break;
            case var other:
                bag.Error(other, $"on_failure must be a string, not {other.KindName}");
                break;
        }

        string? instanceType = null;
        switch (test.Find("instance_type")?.Value)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                break;
            case JsonStringNode { Value.Length: > 0 } text:
                instanceType = text.Value;
                break;
            case var other:
                bag.Error(other, "instance_type must be an EC2 instance type such as \"t3.micro\" (or left out: the builder's instance_type)");
                break;
        }

        return provisioners is null ? null : new TestImageSettings { Provisioners = provisioners, OnFailure = onFailure, InstanceType = instanceType };
    }

    /// <summary>
    /// The test commands, bound by the build files' own provisioner binder, so they take exactly what a build file's
    /// shell and powershell provisioners take (and are refused with the same messages); scripts are looked up beside the
    /// build file. <c>{{user `x`}}</c> has no variables here: a test checks the image, whatever the build's inputs were.
    /// </summary>
    private static List<Provisioner>? ReadTestProvisioners(JsonObjectNode test, DiagnosticBag bag, SettingsFiles? files)
    {
        var value = test.Find("provisioners")?.Value;
        if (value is null or JsonScalarNode { Kind: JsonScalarKind.Null })
        {
            bag.Error(test.Position, JsonPaths.Property(test.Path, "provisioners"),
                "provisioners is required: the test commands, e.g. [{\"type\": \"shell\", \"inline\": [\"nginx -v\"]}]");
            return null;
        }

        if (value is not JsonArrayNode list || list.Items.Length == 0)
        {
            bag.Error(value, "provisioners must be a non-empty array of shell or powershell provisioners, as in a build file");
            return null;
        }

        var bundle = files?.Files ?? NoBundleFiles.Instance;
        var templateDir = files is null ? "" : bundle.GetBuildFileFolder(files.BuildFilePath);
        var scope = new BindingScope(bag, new TemplateContext { TemplateDir = templateDir, DeferBuildTimeData = true }, bundle, templateDir,
            new IgnoredKeys(), new FileReferenceLog());
        var provisioners = new List<Provisioner>();
        for (var index = 0; index < list.Items.Length; index++)
        {
            var node = list.Items[index];
            if (ProvisionerBinder.PeekType(node) is { } type && !TestProvisionerTypes.Contains(type, StringComparer.Ordinal))
            {
                // file uploads and downloads have no place in a test: a test runs commands and reads their exit codes.
                bag.Error(node, $"a test runs commands: provisioners[{index}] must be shell or powershell, not \"{type}\"",
                    Suggestions.Closest(type, TestProvisionerTypes));
                continue;
            }

            if (ProvisionerBinder.Bind(node, index, scope, []) is { } provisioner)
            {
                provisioners.Add(provisioner);
            }
        }

        return provisioners.Count == list.Items.Length ? provisioners : null;
    }

    private static void UnknownKeys(JsonObjectNode node, string[] known, DiagnosticBag bag)
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
