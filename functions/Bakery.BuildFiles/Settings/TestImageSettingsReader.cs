using Bakery.BuildFiles.Internal;
using Bakery.BuildFiles.Model;
using Bakery.BuildFiles.Templates;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Reads <c>test_image</c> of Bakery's settings with the build files' JSON reader and their own provisioner binder, so a
/// test's commands are refused exactly where and how a build file's would be.
/// </summary>
internal static class TestImageSettingsReader
{
    private static readonly string[] Keys = ["provisioners", "on_failure", "instance_type"];
    private static readonly string[] ProvisionerTypes = ["shell", "powershell"];

    public static TestImageSettings? Read(JsonObjectNode settings, DiagnosticBag bag, SettingsFiles? files)
    {
        const string Example = "{\"provisioners\": [{\"type\": \"shell\", \"inline\": [\"nginx -v\"]}]}";
        if (SettingsSection.Open(settings, "test_image", Example, Keys, bag) is not { } test)
        {
            return null;
        }

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
            case JsonStringNode text when InstanceTypeNames.IsWellFormed(text.Value):
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
            if (ProvisionerBinder.PeekType(node) is { } type && !ProvisionerTypes.Contains(type, StringComparer.Ordinal))
            {
                // file uploads and downloads have no place in a test: a test runs commands and reads their exit codes.
                bag.Error(node, $"a test runs commands: provisioners[{index}] must be shell or powershell, not \"{type}\"",
                    Suggestions.Closest(type, ProvisionerTypes));
                continue;
            }

            if (ProvisionerBinder.Bind(node, index, scope, []) is { } provisioner)
            {
                provisioners.Add(provisioner);
            }
        }

        return provisioners.Count == list.Items.Length ? provisioners : null;
    }
}
