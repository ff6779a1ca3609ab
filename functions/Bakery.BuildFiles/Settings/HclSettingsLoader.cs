using Bakery.BuildFiles.Internal;
using Bakery.BuildFiles.Internal.Hcl2;
using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Reads a sidecar <c>NAME.bakery.hcl</c>: the schema of <c>NAME.bakery.json</c> in HCL syntax, for teams that write
/// their build files in HCL2. A setting group is a block (<c>publish_parameter { name = "..." }</c>) or an attribute
/// holding an object; values are HCL expressions without variables (functions such as <c>upper</c> work, <c>var.x</c>
/// does not: the sidecar has no variables). The body is written as its JSON equivalent and checked by
/// <see cref="BakerySettingsLoader"/>, so both syntaxes obey one schema with one set of rules; every problem is reported
/// at the HCL place it came from (<c>web.bakery.hcl:LINE:COL: capacity.on_demand_fallback: ...</c>). Never throws for bad content.
/// </summary>
public static class HclSettingsLoader
{
    /// <summary>The HCL sidecar's suffix: <c>web.pkr.hcl</c> (or <c>web.json</c>) may have its settings in <c>web.bakery.hcl</c>.</summary>
    public const string SidecarSuffix = ".bakery.hcl";

    /// <param name="path">How the user knows the file (local path or <c>s3://</c> key): used in messages.</param>
    /// <param name="content">The HCL text (UTF-8).</param>
    public static BakerySettingsResult Load(string path, ReadOnlyMemory<byte> content, SettingsFiles? files = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        HclBody body;
        try
        {
            body = HclParser.ParseFile(path, System.Text.Encoding.UTF8.GetString(content.Span));
        }
        catch (HclException error)
        {
            return Failed(error.Position, "", error.Detail, error.Suggestion);
        }

        var emitter = new JsonEmitter();
        var problems = new List<Diagnostic>();
        WriteBody(emitter, body, "", problems);
        if (problems.Count > 0)
        {
            return new BakerySettingsResult { Errors = problems };
        }

        var result = BakerySettingsLoader.Read(emitter.Root!, new DiagnosticBag(path), files);
        return result.Errors.Count == 0 ? result : result with { Errors = [.. result.Errors.Select(error => Remap(error, path, emitter))] };
    }

    /// <summary>A body's attributes and blocks as one JSON object; a block type given twice is an error at the second.</summary>
    private static void WriteBody(JsonEmitter emitter, HclBody body, string hclPath, List<Diagnostic> problems)
    {
        emitter.StartObject();
        var seen = new Dictionary<string, HclPosition>(StringComparer.Ordinal);
        foreach (var attribute in body.Attributes)
        {
            var path = JsonPaths.Property(hclPath, attribute.Name);
            seen.TryAdd(attribute.Name, attribute.Position);
            HclValue value;
            try
            {
                value = HclEvaluator.Evaluate(attribute.Value, Context);
            }
            catch (HclException error)
            {
                problems.Add(Problem(error.Position, path,
                    $"{error.Detail} (Bakery's settings have no variables: write the value itself)", error.Suggestion));
                value = HclValue.Null;
            }

            emitter.Property(attribute.Name, attribute.Position, path);
            emitter.Value(value);
            emitter.Leave();
        }

        foreach (var block in body.Blocks)
        {
            var path = JsonPaths.Property(hclPath, block.Type);
            if (block.Labels.Count > 0)
            {
                problems.Add(Problem(block.Position, path,
                    $"{block.Type} takes no labels: write {block.Type} {{ ... }} (the settings belong to the build file beside this one)", null));
                continue;
            }

            if (seen.TryGetValue(block.Type, out var first))
            {
                problems.Add(Problem(block.Position, path, $"{block.Type} is already set at line {first.Line}: write it once", null));
                continue;
            }

            seen.Add(block.Type, block.Position);
            emitter.Property(block.Type, block.Position, path);
            WriteBody(emitter, block.Body, path, problems);
            emitter.Leave();
        }

        emitter.EndObject();
    }

    /// <summary>What a sidecar expression may use: functions, no variables, no files, no environment.</summary>
    private static readonly HclContext Context = new() { Functions = new HclFunctions(new HclFunctionOptions()) };

    /// <summary>A problem the JSON rules found, moved to the HCL attribute or block it came from.</summary>
    private static Diagnostic Remap(Diagnostic error, string path, JsonEmitter emitter)
    {
        if (error.File != path)
        {
            return error;
        }

        for (var jsonPath = error.JsonPath; jsonPath.Length > 0; jsonPath = Parent(jsonPath))
        {
            if (emitter.Origins.TryGetValue(jsonPath, out var origin))
            {
                return error with { Line = origin.Position.Line, Column = origin.Position.Column };
            }
        }

        return error with { Line = 1, Column = 1 };
    }

    private static string Parent(string jsonPath)
    {
        var cut = Math.Max(jsonPath.LastIndexOf('.'), jsonPath.LastIndexOf('['));
        return cut <= 0 ? "" : jsonPath[..cut];
    }

    private static Diagnostic Problem(HclPosition position, string path, string message, string? suggestion) =>
        new(position.File, position.Line, position.Column, path, message, suggestion);

    private static BakerySettingsResult Failed(HclPosition position, string path, string message, string? suggestion) =>
        new() { Errors = [Problem(position, path, message, suggestion)] };
}
