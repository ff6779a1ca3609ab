using YamlDotNet.RepresentationModel;

namespace Bakery.Local.StepFunctions;

/// <summary>
/// What fills one <c>${Name}</c> of the definition: a resource's attribute (<see cref="LogicalId"/> +
/// <see cref="Attribute"/>, e.g. <c>PrepareFunction</c> + <c>Arn</c>), a resource's <c>Ref</c>
/// (<see cref="Attribute"/> null), or a literal <see cref="Value"/>.
/// </summary>
public sealed record SubstitutionTarget(string? LogicalId, string? Attribute, string? Value)
{
    internal static SubstitutionTarget From(YamlNode node)
    {
        switch (node)
        {
            case YamlScalarNode scalar when scalar.Tag.Value == "!GetAtt":
                return FromGetAtt(scalar.Value ?? string.Empty);
            case YamlScalarNode scalar when scalar.Tag.Value == "!Ref":
                return new SubstitutionTarget(scalar.Value, null, null);
            case YamlSequenceNode sequence when sequence.Tag.Value == "!GetAtt" && sequence.Children.Count == 2:
                return new SubstitutionTarget(((YamlScalarNode)sequence[0]).Value, ((YamlScalarNode)sequence[1]).Value, null);
            case YamlMappingNode mapping when mapping.Children.Count == 1:
                var (key, value) = mapping.Children.Single();
                var function = ((YamlScalarNode)key).Value;
                if (function == "Ref" && value is YamlScalarNode reference)
                {
                    return new SubstitutionTarget(reference.Value, null, null);
                }

                if (function == "Fn::GetAtt" && value is YamlSequenceNode { Children.Count: 2 } pair)
                {
                    return new SubstitutionTarget(((YamlScalarNode)pair[0]).Value, ((YamlScalarNode)pair[1]).Value, null);
                }

                if (function == "Fn::GetAtt" && value is YamlScalarNode dotted)
                {
                    return FromGetAtt(dotted.Value ?? string.Empty);
                }

                break;
            case YamlScalarNode literal when literal.Tag.IsEmpty || literal.Tag.IsNonSpecific:
                return new SubstitutionTarget(null, null, literal.Value);
        }

        throw new InvalidDataException($"unsupported DefinitionSubstitutions value at {node.Start}: only !GetAtt, !Ref and literals are understood");
    }

    private static SubstitutionTarget FromGetAtt(string dotted)
    {
        var dot = dotted.IndexOf('.', StringComparison.Ordinal);
        return dot > 0
            ? new SubstitutionTarget(dotted[..dot], dotted[(dot + 1)..], null)
            : throw new InvalidDataException($"!GetAtt '{dotted}' is not Resource.Attribute");
    }
}
