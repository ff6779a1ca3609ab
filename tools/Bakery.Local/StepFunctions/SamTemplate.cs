using YamlDotNet.RepresentationModel;

namespace Bakery.Local.StepFunctions;

/// <summary>
/// template.yaml read as a YAML tree. CloudFormation's short-form tags (<c>!Ref</c>, <c>!GetAtt</c>, <c>!Sub</c>...)
/// stay on the nodes (<see cref="YamlNode.Tag"/>), so nothing is lost and no custom tag mapping is needed.
/// </summary>
public sealed class SamTemplate
{
    private SamTemplate(YamlMappingNode root) => Root = root;

    public YamlMappingNode Root { get; }

    /// <summary>The <c>Resources</c> section, by logical id.</summary>
    public IReadOnlyDictionary<string, YamlMappingNode> Resources =>
        Root.Children.TryGetValue(new YamlScalarNode("Resources"), out var node) && node is YamlMappingNode resources
            ? resources.Children.ToDictionary(
                pair => ((YamlScalarNode)pair.Key).Value!,
                pair => (YamlMappingNode)pair.Value,
                StringComparer.Ordinal)
            : new Dictionary<string, YamlMappingNode>(StringComparer.Ordinal);

    public static SamTemplate Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new InvalidDataException($"{path}: expected one YAML document with a mapping at its root");
        }

        return new SamTemplate(root);
    }

    /// <summary>Logical ids of the resources of one CloudFormation type (e.g. <c>AWS::Serverless::Function</c>).</summary>
    public IReadOnlyList<string> ResourcesOfType(string type) =>
        [.. Resources.Where(r => ScalarAt(r.Value, "Type") == type).Select(r => r.Key)];

    /// <summary>The <c>Properties</c> of a resource (empty when it has none).</summary>
    public YamlMappingNode PropertiesOf(string logicalId) =>
        Resources[logicalId].Children.TryGetValue(new YamlScalarNode("Properties"), out var node) && node is YamlMappingNode properties
            ? properties
            : new YamlMappingNode();

    /// <summary>
    /// The state machine's <c>DefinitionSubstitutions</c>: placeholder name → what fills it. <c>!GetAtt X.Arn</c>,
    /// <c>!Ref X</c> and their long forms become a <see cref="SubstitutionTarget"/> naming the resource X.
    /// </summary>
    public IReadOnlyDictionary<string, SubstitutionTarget> DefinitionSubstitutions(string stateMachineLogicalId)
    {
        var result = new Dictionary<string, SubstitutionTarget>(StringComparer.Ordinal);
        if (!PropertiesOf(stateMachineLogicalId).Children.TryGetValue(new YamlScalarNode("DefinitionSubstitutions"), out var node)
            || node is not YamlMappingNode substitutions)
        {
            return result;
        }

        foreach (var (key, value) in substitutions.Children)
        {
            result[((YamlScalarNode)key).Value!] = SubstitutionTarget.From(value);
        }

        return result;
    }

    /// <summary>The one <c>AWS::Serverless::StateMachine</c> (or <c>AWS::StepFunctions::StateMachine</c>) in the template.</summary>
    public string StateMachineLogicalId()
    {
        var machines = ResourcesOfType("AWS::Serverless::StateMachine").Concat(ResourcesOfType("AWS::StepFunctions::StateMachine")).ToList();
        return machines.Count == 1
            ? machines[0]
            : throw new InvalidDataException($"expected one state machine in the template, found {machines.Count}");
    }

    internal static string? ScalarAt(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
