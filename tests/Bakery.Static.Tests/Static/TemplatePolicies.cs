using Bakery.Local.StepFunctions;
using YamlDotNet.RepresentationModel;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>Every IAM statement in template.yaml: SAM <c>Policies</c> of functions and the state machine, role policies, bucket policies.</summary>
internal static class TemplatePolicies
{
    public static IEnumerable<PolicyStatement> All(SamTemplate template)
    {
        foreach (var (id, resource) in template.Resources)
        {
            var properties = template.PropertiesOf(id);
            if (properties.Children.TryGetValue(new YamlScalarNode("Policies"), out var policies) && policies is YamlSequenceNode list)
            {
                foreach (var policy in list.Children.OfType<YamlMappingNode>())
                {
                    // SAM inline document ({Statement: [...]}) or IAM role policy ({PolicyName, PolicyDocument}).
                    var document = policy.Children.TryGetValue(new YamlScalarNode("PolicyDocument"), out var doc) ? doc as YamlMappingNode : policy;
                    foreach (var statement in Statements(document))
                    {
                        yield return new PolicyStatement(id, statement);
                    }
                }
            }

            if (properties.Children.TryGetValue(new YamlScalarNode("PolicyDocument"), out var bucketDoc))
            {
                foreach (var statement in Statements(bucketDoc as YamlMappingNode))
                {
                    yield return new PolicyStatement(id, statement);
                }
            }
        }
    }

    private static IEnumerable<YamlMappingNode> Statements(YamlMappingNode? document) =>
        document is not null && document.Children.TryGetValue(new YamlScalarNode("Statement"), out var statements)
            ? statements switch
            {
                // A statement under !If [Condition, statement, !Ref AWS::NoValue] counts as written (the stack may turn it on).
                YamlSequenceNode sequence => sequence.Children.Select(s => s is YamlSequenceNode { Tag.Value: "!If" } choice ? choice.Children[1] : s).OfType<YamlMappingNode>(),
                YamlMappingNode single => [single],
                _ => [],
            }
            : [];
}
