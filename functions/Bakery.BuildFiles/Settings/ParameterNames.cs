using System.Text.RegularExpressions;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// The names <c>publish_parameter.name</c> may hold: a path (<c>/golden/{{build_name}}/latest</c>) with the placeholders
/// <c>{{build_name}}</c> (the builder's name) and <c>{{region}}</c> (the region the parameter is written in), within what
/// SSM accepts for a parameter name (the PutParameter API reference and "Requirements and constraints for parameter
/// names" in the Systems Manager user guide: letters, digits and <c>_.-/</c>, at most 1011 characters, at most 15 levels,
/// no <c>aws</c>/<c>ssm</c> prefix).
/// </summary>
public static partial class ParameterNames
{
    /// <summary>SSM's longest name a caller may create (2048 less the 1037 characters it reserves).</summary>
    public const int MaxLength = 1011;

    /// <summary>SSM's deepest hierarchy.</summary>
    public const int MaxLevels = 15;

    /// <summary>The placeholders a name may use.</summary>
    public static IReadOnlyList<string> Placeholders { get; } = ["build_name", "region"];

    /// <summary>The name for one builder in one region.</summary>
    public static string Render(string template, string buildName, string region)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Placeholder().Replace(template, match => match.Groups[1].Value switch
        {
            "build_name" => buildName,
            "region" => region,
            _ => match.Value,
        });
    }

    /// <summary>
    /// What is wrong with <paramref name="template"/> before any placeholder is filled in (an unknown placeholder, a
    /// character SSM refuses, a reserved prefix), or null.
    /// </summary>
    public static string? ProblemWithTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        foreach (Match match in Placeholder().Matches(template))
        {
            if (!Placeholders.Contains(match.Groups[1].Value, StringComparer.Ordinal))
            {
                return $"unknown placeholder {match.Value}: a name may use {{{{build_name}}}} and {{{{region}}}}";
            }
        }

        if (template.Contains("{{", StringComparison.Ordinal) && !Placeholder().IsMatch(template))
        {
            return "a placeholder is written {{build_name}} or {{region}}";
        }

        // A sample value stands for each placeholder: what is left must already be a valid name.
        return ProblemWithName(Render(template, "b", "r"));
    }

    /// <summary>What SSM would refuse in <paramref name="name"/> (a rendered name), or null.</summary>
    public static string? ProblemWithName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!name.StartsWith('/'))
        {
            return $"\"{name}\" must be a path starting with '/' (e.g. /golden/{{{{build_name}}}}/latest)";
        }

        if (name.Length > MaxLength)
        {
            return $"\"{name[..40]}...\" is {name.Length} characters; SSM allows at most {MaxLength}";
        }

        if (name.EndsWith('/') || name.Contains("//", StringComparison.Ordinal))
        {
            return $"\"{name}\" has an empty level (a '/' at the end or two in a row)";
        }

        var bad = name.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/'));
        if (bad != default)
        {
            return $"\"{name}\" has '{bad}': SSM parameter names hold letters, digits and _ . - / only";
        }

        var first = name[1..].Split('/')[0];
        if (first.StartsWith("aws", StringComparison.OrdinalIgnoreCase) || first.StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            return $"\"{name}\" starts with \"{first[..3]}\", which SSM reserves for itself; choose another first level";
        }

        var levels = name.Count(c => c == '/');
        return levels > MaxLevels ? $"\"{name}\" has {levels} levels; SSM allows at most {MaxLevels}" : null;
    }

    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Placeholder();
}
