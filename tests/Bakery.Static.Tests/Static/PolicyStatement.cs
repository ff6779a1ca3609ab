using YamlDotNet.RepresentationModel;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>One IAM statement found in template.yaml, with the resource that owns it.</summary>
internal sealed record PolicyStatement(string Owner, YamlMappingNode Node)
{
    public string Effect => Scalar(Node, "Effect") ?? "Allow";

    public IReadOnlyList<string> Actions => Strings("Action");

    /// <summary>Resources as written: plain strings, or the text of <c>!Sub</c>/<c>!GetAtt</c> prefixed with the tag.</summary>
    public IReadOnlyList<string> Resources => Strings("Resource");

    /// <summary>Condition keys as "Operator:key" (e.g. "StringEquals:aws:ResourceTag/bakery:managed").</summary>
    public IReadOnlyList<string> ConditionKeys =>
        Node.Children.TryGetValue(new YamlScalarNode("Condition"), out var condition) && condition is YamlMappingNode operators
            ? [.. operators.Children.SelectMany(op => ((YamlMappingNode)op.Value).Children.Keys
                .Select(key => $"{((YamlScalarNode)op.Key).Value}:{((YamlScalarNode)key).Value}"))]
            : [];

    public YamlNode? Condition(string op, string key) =>
        Node.Children.TryGetValue(new YamlScalarNode("Condition"), out var condition)
        && condition is YamlMappingNode operators
        && operators.Children.TryGetValue(new YamlScalarNode(op), out var keys)
        && keys is YamlMappingNode map
        && map.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? value
            : null;

    public override string ToString() => $"{Owner}: {string.Join(",", Actions)} on {string.Join(",", Resources)}";

    private List<string> Strings(string key) =>
        !Node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? []
        : value is YamlSequenceNode sequence ? [.. sequence.Children.Select(Text)]
        : [Text(value)];

    private static string Text(YamlNode node) => node switch
    {
        YamlScalarNode scalar when scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific => scalar.Value ?? string.Empty,
        YamlScalarNode scalar => $"{scalar.Tag.Value} {scalar.Value}",
        _ => node.ToString(),
    };

    internal static string? Scalar(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode scalar ? scalar.Value : null;
}
