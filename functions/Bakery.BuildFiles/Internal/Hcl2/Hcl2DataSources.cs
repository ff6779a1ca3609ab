using Bakery.Hcl;
using Bakery.Hcl.Evaluation;
using Bakery.Hcl.Syntax;

namespace Bakery.BuildFiles.Internal.Hcl2;

/// <summary>
/// <c>data "amazon-parameterstore"</c> and <c>data "amazon-secretsmanager"</c>: their arguments checked and evaluated
/// into a <see cref="DataSourceRequest"/>, and their attributes given from the value the loader was handed, or unknown.
/// The arguments and attributes are the amazon plugin's (Packer's documentation of the two data sources; Packer 1.6.6,
/// the oracle here, predates data sources).
/// </summary>
internal sealed class Hcl2DataSources(Hcl2Problems problems, IReadOnlyDictionary<string, DataSourceValue> values)
{
    private static readonly string[] ParameterArguments = ["name", "with_decryption", "region"];
    private static readonly string[] SecretArguments = ["name", "key", "version_id", "version_stage", "region"];

    /// <summary>The attributes each type gives, in the order the documentation lists them.</summary>
    public static IReadOnlyList<string> AttributesOf(string type) =>
        type == DataSourceRequest.ParameterStore ? ["value", "version", "arn"] : ["value", "secret_string", "secret_binary", "version_id"];

    public static bool IsLookup(string type) => type is DataSourceRequest.ParameterStore or DataSourceRequest.SecretsManager;

    public List<DataSourceRequest> Requests { get; } = [];

    /// <summary>Values the template reads that must be masked (secrets, decrypted SecureStrings).</summary>
    public List<string> SensitiveValues { get; } = [];

    /// <summary>Labels (<c>TYPE.LABEL</c>) whose attributes are unknown in this load.</summary>
    public HashSet<string> Unknown { get; } = new(StringComparer.Ordinal);

    /// <summary>The block's attributes as an object: looked up, or unknown (and then requested, when its arguments are known).</summary>
    public HclValue Resolve(HclBlock block, HclContext context)
    {
        var type = block.Labels[0];
        var label = block.Labels[1];
        var path = $"data.{type}.{label}";
        var id = $"{type}.{label}";
        var known = type == DataSourceRequest.ParameterStore ? ParameterArguments : SecretArguments;
        var arguments = new Dictionary<string, HclValue>(StringComparer.Ordinal);
        var argumentsKnown = true;
        foreach (var attribute in block.Body.Attributes)
        {
            if (!known.Contains(attribute.Name))
            {
                problems.Error(attribute.Position, $"{path}.{attribute.Name}", $"unknown {type} argument \"{attribute.Name}\"", Suggestions.Closest(attribute.Name, known));
                continue;
            }

            if (problems.Evaluate(attribute, path, context) is { } value)
            {
                argumentsKnown &= !Hcl2Unknown.In(value);
                arguments[attribute.Name] = value;
            }
        }

        foreach (var inner in block.Body.Blocks)
        {
            // assume_role and the other access settings: Bakery reads with the role it runs with.
            problems.Error(inner.Position, $"{path}.{inner.Type}", $"{type} in Bakery takes no \"{inner.Type}\" block: it reads with the role Bakery runs with (docs/build-files.md#data-sources)");
        }

        var request = argumentsKnown ? Request(block, type, label, path, arguments) : null;
        if (values.TryGetValue(id, out var resolved))
        {
            SensitiveValues.AddRange(resolved.SensitiveValues);
            return HclValue.Object(AttributesOf(type).Select(name =>
                new KeyValuePair<string, HclValue>(name, HclValue.String(resolved.Attributes.TryGetValue(name, out var text) ? text : ""))));
        }

        Unknown.Add(id);
        if (request is not null)
        {
            Requests.Add(request);
        }

        return UnknownAttributes(type, path);
    }

    /// <summary>The attributes of a data source of <paramref name="type"/> at <paramref name="path"/>, every one unknown.</summary>
    public static HclValue UnknownAttributes(string type, string path) =>
        HclValue.Object(AttributesOf(type).Select(name => new KeyValuePair<string, HclValue>(name, Hcl2Unknown.Of($"{path}.{name}"))));

    private DataSourceRequest? Request(HclBlock block, string type, string label, string path, Dictionary<string, HclValue> arguments)
    {
        var name = Text("name");
        if (name is null)
        {
            if (!arguments.ContainsKey("name"))
            {
                problems.Error(block.Position, $"{path}.name", $"{type} needs a name: name = \"{(type == DataSourceRequest.ParameterStore ? "/bakery/data/..." : "bakery/...")}\"");
            }

            return null;
        }

        var withDecryption = false;
        if (arguments.TryGetValue("with_decryption", out var flag))
        {
            if (flag.Kind == HclValueKind.Bool)
            {
                withDecryption = flag.AsBool;
            }
            else
            {
                Place("with_decryption", "with_decryption is true or false");
            }
        }

        return new DataSourceRequest
        {
            Type = type,
            Label = label,
            Place = $"{block.Position.File}:{block.Position.Line}:{block.Position.Column}",
            Name = name,
            Region = Text("region"),
            WithDecryption = withDecryption,
            Key = Text("key"),
            VersionId = Text("version_id"),
            VersionStage = Text("version_stage"),
        };

        string? Text(string argument)
        {
            if (!arguments.TryGetValue(argument, out var value) || value.Kind == HclValueKind.Null)
            {
                return null;
            }

            if (value.Kind is not (HclValueKind.String or HclValueKind.Number) || value.Kind == HclValueKind.String && value.AsString.Length == 0)
            {
                Place(argument, $"{argument} is a non-empty string");
                return null;
            }

            return value.Kind == HclValueKind.String ? value.AsString : Hcl2Variables.Display(value);
        }

        void Place(string argument, string message)
        {
            var attribute = block.Body.Attribute(argument)!;
            problems.Error(attribute.Position, $"{path}.{argument}", message);
        }
    }
}
