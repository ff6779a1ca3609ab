using Bakery.Core.Bake;
using Bakery.BuildFiles.Templates;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Renders Packer's build-time data (<c>{{ .SourceAMI }}</c>, <c>{{ .BuildRegion }}</c>, <c>{{ .SourceAMIName }}</c>,
/// <c>{{ build `ID` }}</c>, ...) in values the engine left as template text because the value only exists once the
/// bake runs. Anything still unknown at this step stays as written, for a later step.
/// </summary>
internal static class BuildTimeData
{
    public static string Render(string text, BakeState state)
    {
        if (!TemplateParser.ContainsActions(text))
        {
            return text;
        }

        var values = Values(state);
        var context = new TemplateContext
        {
            BuildName = state.Build?.Builder.Name ?? string.Empty,
            BuildType = state.Build?.Builder.Type ?? "amazon-ebs",
            Data = values.ToDictionary(pair => pair.Key, pair => TemplateValue.FromString(pair.Value), StringComparer.Ordinal),
            Build = name => BuildValue(name, state),
            DeferBuildTimeData = true,
        };
        return TemplateParser.Parse(text).Render(context);
    }

    public static Dictionary<string, string> Values(BakeState state)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["BuildRegion"] = state.Build?.Builder.Region ?? string.Empty,
            ["SourceAMI"] = state.SourceImageId ?? state.Build?.Builder.SourceAmi ?? string.Empty,
            ["SourceAMIName"] = state.SourceImageName ?? string.Empty,
            ["BuildName"] = state.Build?.Builder.Name ?? string.Empty,
            ["BuilderType"] = state.Build?.Builder.Type ?? "amazon-ebs",
        };
        return values;
    }

    /// <summary>Packer's <c>build</c> function: the values its amazon-ebs builder shares once they exist.</summary>
    private static string? BuildValue(string name, BakeState state) => name switch
    {
        "ID" => state.Instance?.InstanceId,
        "SourceAMI" => state.SourceImageId ?? state.Build?.Builder.SourceAmi,
        "SourceAMIName" => state.SourceImageName,
        "Region" => state.Build?.Builder.Region,
        "PackerRunUUID" => state.BuildId,
        _ => null,
    };
}
