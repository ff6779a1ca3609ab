using Bakery.BuildFiles.Internal;

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
        return root is null ? new BakerySettingsResult { Errors = bag.Errors } : Read(root, bag, files);
    }

    /// <summary>Settings already in the JSON engine's tree (an HCL sidecar's, evaluated): checked as a JSON file's are.</summary>
    internal static BakerySettingsResult Read(JsonNode root, DiagnosticBag bag, SettingsFiles? files)
    {
        if (root is not JsonObjectNode settings)
        {
            bag.Error(root, $"Bakery's settings are a JSON object such as {{\"publish_parameter\": {{\"name\": \"/golden/{{{{build_name}}}}\"}}}}, not {root.KindName}");
            return new BakerySettingsResult { Errors = bag.Errors };
        }

        SettingsSection.UnknownKeys(settings, TopLevelKeys, bag);
        var publish = ReadPublishParameter(settings, bag);
        var capacity = CapacitySettingsReader.Read(settings, bag);
        var lifecycle = LifecycleSettingsReader.Read(settings, bag);
        var test = TestImageSettingsReader.Read(settings, bag, files);
        return bag.ErrorCount > 0
            ? new BakerySettingsResult { Errors = bag.Errors }
            : new BakerySettingsResult { Settings = new BakerySettings { PublishParameter = publish, Capacity = capacity, Lifecycle = lifecycle, TestImage = test } };
    }

    private static PublishParameterSettings? ReadPublishParameter(JsonObjectNode settings, DiagnosticBag bag)
    {
        if (SettingsSection.Open(settings, "publish_parameter", "{\"name\": \"/golden/{{build_name}}/latest\"}", PublishParameterKeys, bag) is not { } publish)
        {
            return null;
        }

        switch (SettingsSection.Value(publish, "name"))
        {
            case null:
                bag.Error(publish.Position, JsonPaths.Property(publish.Path, "name"),
                    "name is required: the parameter's name, e.g. \"/golden/{{build_name}}/latest\"");
                return null;
            case JsonStringNode text when ParameterNames.ProblemWithTemplate(text.Value) is { } problem:
                bag.Error(text, problem);
                return null;
            case JsonStringNode text:
                return new PublishParameterSettings { Name = text.Value };
            case var other:
                bag.Error(other, $"name must be a string, not {other.KindName}");
                return null;
        }
    }
}
