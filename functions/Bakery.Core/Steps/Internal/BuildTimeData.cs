using System.Text.RegularExpressions;
using Bakery.Core.Bake;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Renders Packer's build-time data (<c>{{ .SourceAMI }}</c>, <c>{{ .BuildRegion }}</c>, <c>{{ .SourceAMIName }}</c>)
/// in values the engine left as template text because the value only exists once the bake runs.
/// </summary>
internal static partial class BuildTimeData
{
    public static string Render(string text, BakeState state)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return text;
        }

        var data = Values(state);
        return Field().Replace(text, match => data.TryGetValue(match.Groups["name"].Value, out var value) ? value : match.Value);
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

    [GeneratedRegex(@"\{\{-?\s*\.(?<name>[A-Za-z][A-Za-z0-9]*)\s*-?\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Field();
}
