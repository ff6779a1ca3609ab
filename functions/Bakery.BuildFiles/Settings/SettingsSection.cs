using Bakery.BuildFiles.Internal;
using Bakery.Hcl;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// What every section of Bakery's settings (<c>publish_parameter</c>, <c>capacity</c>, <c>lifecycle</c>) reads the same
/// way, strictly: the section is an object or absent, its keys are known ones (or <c>_</c> comments), a value of JSON
/// null is absent. Each problem goes to the bag at its place with the fix.
/// </summary>
internal static class SettingsSection
{
    /// <summary>
    /// The object under <paramref name="name"/>, its unknown keys reported; null when absent, JSON null, or not an object
    /// (reported with <paramref name="example"/> as the fix).
    /// </summary>
    public static JsonObjectNode? Open(JsonObjectNode settings, string name, string example, string[] keys, DiagnosticBag bag)
    {
        var value = Value(settings, name);
        if (value is null)
        {
            return null;
        }

        if (value is not JsonObjectNode section)
        {
            bag.Error(value, $"{name} must be an object such as {example}, not {value.KindName}");
            return null;
        }

        UnknownKeys(section, keys, bag);
        return section;
    }

    /// <summary>The value of <paramref name="key"/>; null when absent or JSON null.</summary>
    public static JsonNode? Value(JsonObjectNode section, string key) =>
        section.Find(key)?.Value is { } value and not JsonScalarNode { Kind: JsonScalarKind.Null } ? value : null;

    /// <summary>A true/false setting; false when absent.</summary>
    public static bool Flag(JsonObjectNode section, string key, DiagnosticBag bag)
    {
        switch (Value(section, key))
        {
            case null:
                return false;
            case JsonScalarNode { Kind: JsonScalarKind.Boolean } flag:
                return flag.Text == "true";
            case var other:
                bag.Error(other, $"{key} must be true or false, not {other.KindName}");
                return false;
        }
    }

    public static void UnknownKeys(JsonObjectNode node, string[] known, DiagnosticBag bag)
    {
        foreach (var property in node.Properties)
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal) && !property.Name.StartsWith('_'))
            {
                var where = node.Path.Length == 0 ? "Bakery's settings" : node.Path;
                bag.Error(property.NamePosition, JsonPaths.Property(node.Path, property.Name),
                    $"unknown key \"{property.Name}\" ({where} may hold {string.Join(", ", known)})", Suggestions.Closest(property.Name, known));
            }
        }
    }
}
