using System.Globalization;
using System.Text.RegularExpressions;
using Bakery.Local.StepFunctions;
using YamlDotNet.RepresentationModel;

namespace Bakery.Local.Lambda.Internal;

/// <summary>
/// Reads the <c>AWS::Serverless::Function</c> resources of a SAM template (loaded by <see cref="SamTemplate"/>, the one
/// template.yaml reader, short-form tags like <c>!Ref</c> and <c>!GetAtt</c> included) and resolves their environment
/// to local values. Every unresolvable reference is
/// reported at once, naming the function, the variable and the reference.
/// </summary>
internal sealed partial class SamTemplateReader
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    private readonly List<string> problems = [];

    private SamTemplateReader(LocalLambdaOptions options)
    {
        values["AWS::Region"] = options.Region;
        values["AWS::AccountId"] = options.AccountId;
        values["AWS::Partition"] = "aws";
        values["AWS::StackName"] = "bakery-local";
        values["AWS::URLSuffix"] = "amazonaws.com";
        values["AWS::NoValue"] = "";
    }

    public static IReadOnlyList<FunctionDefinition> Read(LocalLambdaOptions options)
    {
        SamTemplate template;
        try
        {
            template = SamTemplate.Load(options.TemplatePath);
        }
        catch (InvalidDataException ex)
        {
            throw new LocalTemplateException($"{ex.Message}: not a SAM template", ex);
        }

        return new SamTemplateReader(options).ReadFunctions(template, options);
    }

    private List<FunctionDefinition> ReadFunctions(SamTemplate template, LocalLambdaOptions options)
    {
        var root = template.Root;
        var functions = template.ResourcesOfType("AWS::Serverless::Function")
            .Select(logicalId => (LogicalId: logicalId, Properties: template.PropertiesOf(logicalId)))
            .ToList();

        // Defaults first, then the caller's values win; the template's functions resolve to their local name and ARN.
        if (Child(root, "Parameters") is YamlMappingNode parameters)
        {
            foreach (var (key, value) in parameters.Children)
            {
                if (value is YamlMappingNode parameter && Child(parameter, "Default") is YamlScalarNode defaultValue)
                {
                    values[((YamlScalarNode)key).Value!] = defaultValue.Value ?? "";
                }
            }
        }

        foreach (var (logicalId, properties) in functions)
        {
            var name = Scalar(Child(properties, "FunctionName")) ?? logicalId;
            values[logicalId] = name;
            values[$"{logicalId}.Arn"] = $"arn:aws:lambda:{options.Region}:{options.AccountId}:function:{name}";
        }

        foreach (var (key, value) in options.ParameterValues)
        {
            values[key] = value;
        }

        var globals = Child(Child(root, "Globals"), "Function") as YamlMappingNode;
        var result = functions.Select(function => ReadFunction(function.LogicalId, function.Properties, globals)).ToList();
        if (problems.Count > 0)
        {
            throw new LocalTemplateException(
                $"{options.TemplatePath} cannot run locally:{System.Environment.NewLine}  " + string.Join(System.Environment.NewLine + "  ", problems));
        }

        return result;
    }

    private FunctionDefinition ReadFunction(string logicalId, YamlMappingNode properties, YamlMappingNode? globals)
    {
        string? Setting(string name) => Scalar(Child(properties, name)) ?? Scalar(Child(globals, name));

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in new[] { globals, properties })
        {
            if (Child(Child(source, "Environment"), "Variables") is YamlMappingNode variables)
            {
                foreach (var (key, node) in variables.Children)
                {
                    var name = ((YamlScalarNode)key).Value!;
                    if (Resolve(node, $"{logicalId} Environment.Variables.{name}") is { } value)
                    {
                        environment[name] = value;
                    }
                }
            }
        }

        var handler = Setting("Handler");
        if (string.IsNullOrEmpty(handler))
        {
            problems.Add($"{logicalId}: no Handler");
        }

        return new FunctionDefinition
        {
            LogicalId = logicalId,
            FunctionName = Scalar(Child(properties, "FunctionName")) ?? logicalId,
            Handler = handler ?? "",
            TimeoutSeconds = Number(Setting("Timeout"), 3),
            MemorySize = Number(Setting("MemorySize"), 128),
            Environment = environment,
        };
    }

    /// <summary>A plain value, or one of !Ref, !GetAtt, !Sub (short or long form), looked up in the local values.</summary>
    private string? Resolve(YamlNode node, string where)
    {
        switch (node)
        {
            case YamlScalarNode scalar when node.Tag.IsEmpty || node.Tag.Value is "tag:yaml.org,2002:str":
                return scalar.Value ?? "";
            case YamlScalarNode scalar when node.Tag.Value == "!Ref":
                return Lookup(scalar.Value ?? "", $"!Ref {scalar.Value}", where);
            case YamlScalarNode scalar when node.Tag.Value == "!GetAtt":
                return Lookup(scalar.Value ?? "", $"!GetAtt {scalar.Value}", where);
            case YamlSequenceNode sequence when node.Tag.Value == "!GetAtt" && sequence.Children.Count == 2:
                return GetAtt(sequence, where);
            case YamlScalarNode scalar when node.Tag.Value == "!Sub":
                return Substitute(scalar.Value ?? "", where);
            case YamlMappingNode { Children.Count: 1 } mapping:
                var (key, value) = mapping.Children.First();
                switch (Scalar(key))
                {
                    case "Ref":
                        return Lookup(Scalar(value) ?? "", $"Ref: {Scalar(value)}", where);
                    case "Fn::GetAtt" when value is YamlSequenceNode { Children.Count: 2 } sequence:
                        return GetAtt(sequence, where);
                    case "Fn::GetAtt" when Scalar(value) is { } dotted:
                        return Lookup(dotted, $"Fn::GetAtt: {dotted}", where);
                    case "Fn::Sub" when Scalar(value) is { } text:
                        return Substitute(text, where);
                }

                break;
        }

        problems.Add($"{where}: unsupported value ({node.Tag.Value ?? node.NodeType.ToString()}); use a string, !Ref, !GetAtt or !Sub");
        return null;
    }

    private string? GetAtt(YamlSequenceNode sequence, string where)
    {
        var dotted = $"{Scalar(sequence.Children[0])}.{Scalar(sequence.Children[1])}";
        return Lookup(dotted, $"!GetAtt {dotted}", where);
    }

    private string Substitute(string text, string where) =>
        SubstitutionPattern().Replace(text, match => Lookup(match.Groups[1].Value, $"${{{match.Groups[1].Value}}} in !Sub", where) ?? match.Value);

    private string? Lookup(string key, string reference, string where)
    {
        if (values.TryGetValue(key, out var value))
        {
            return value;
        }

        problems.Add($"{where}: {reference} has no local value (pass \"{key}\" in ParameterValues)");
        return null;
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode? node) => node is YamlScalarNode scalar && node.Tag.IsEmpty ? scalar.Value : null;

    private static int Number(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : fallback;

    [GeneratedRegex(@"\$\{([A-Za-z0-9:._-]+)\}")]
    private static partial Regex SubstitutionPattern();
}
