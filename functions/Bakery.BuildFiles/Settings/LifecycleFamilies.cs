using System.Text.RegularExpressions;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// The family names <c>lifecycle.family</c> may hold: the value of the <c>bakery:family</c> tag every image of the
/// family carries, with <c>{{build_name}}</c> for the builder's name. EC2 tag values take letters, digits, spaces and
/// <c>+ - = . _ : / @</c> (the Tag API reference); Bakery keeps to the ones no shell or filter treats specially.
/// </summary>
public static partial class LifecycleFamilies
{
    /// <summary>The tag every image of a family carries, its value the family's name.</summary>
    public const string Tag = "bakery:family";

    /// <summary>The family of a builder: <paramref name="template"/> rendered, or the build file's name and the builder's.</summary>
    public static string Render(string? template, string buildFileKey, string buildName)
    {
        ArgumentNullException.ThrowIfNull(buildFileKey);
        if (template is null)
        {
            var file = buildFileKey[(buildFileKey.LastIndexOf('/') + 1)..];
            var stem = file.EndsWith(".pkr.hcl", StringComparison.OrdinalIgnoreCase) ? file[..^".pkr.hcl".Length]
                : file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? file[..^".json".Length]
                : file;
            return $"{stem}/{buildName}";
        }

        return Placeholder().Replace(template, buildName);
    }

    /// <summary>What is wrong with a family template (a placeholder other than build_name, a character, its length), or null.</summary>
    public static string? ProblemWithTemplate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var rendered = Placeholder().Replace(template, "b");
        if (rendered.Contains("{{", StringComparison.Ordinal) || rendered.Contains("}}", StringComparison.Ordinal))
        {
            return "family may use the placeholder {{build_name}} only";
        }

        if (rendered.Trim().Length == 0)
        {
            return "family is empty; name the family, e.g. \"web/{{build_name}}\"";
        }

        if (template.Length > LifecycleSettings.MaxFamilyLength)
        {
            return $"family is {template.Length} characters; at most {LifecycleSettings.MaxFamilyLength}";
        }

        var bad = rendered.FirstOrDefault(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/' or ':' or '+' or '=' or '@'));
        return bad != default ? $"family \"{template}\" has '{bad}': a family holds letters, digits and _ . - / : + = @ only" : null;
    }

    [GeneratedRegex(@"\{\{\s*build_name\s*\}\}")]
    private static partial Regex Placeholder();
}
