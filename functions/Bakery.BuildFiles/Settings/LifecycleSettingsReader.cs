using System.Globalization;
using Bakery.BuildFiles.Internal;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Reads <c>lifecycle</c> of Bakery's settings with the build files' JSON reader: every problem is reported at its place
/// with the fix, and nothing is half-read (a setting that would remove images must be exactly what the user meant).
/// </summary>
internal static class LifecycleSettingsReader
{
    private static readonly string[] Keys = ["family", "keep", "action", "deprecate_after_days", "deprecate_at", "protect_newest", "dry_run"];
    private static readonly string[] Actions = ["deregister", "deprecate", "disable"];

    public static LifecycleSettings? Read(JsonObjectNode settings, DiagnosticBag bag)
    {
        var errors = bag.ErrorCount;
        if (SettingsSection.Open(settings, "lifecycle", "{\"keep\": 3, \"deprecate_after_days\": 90}", Keys, bag) is not { } lifecycle)
        {
            return null;
        }

        var family = Family(lifecycle, bag);
        var keep = WholeNumber(lifecycle, "keep", 1, 1000, "how many of the family's newest images stay (the new one included), e.g. 3", bag);
        var action = Action(lifecycle, bag);
        var afterDays = WholeNumber(lifecycle, "deprecate_after_days", 1, LifecycleSettings.MaxDeprecateAfterDays,
            "days after the build when EC2 deprecates the new AMI, e.g. 90 (EnableImageDeprecation allows at most 10 years)", bag);
        var at = DeprecateAt(lifecycle, bag);
        var protect = SettingsSection.Flag(lifecycle, "protect_newest", bag);
        var dryRun = SettingsSection.Flag(lifecycle, "dry_run", bag);

        if (afterDays is not null && at is not null)
        {
            bag.Error(lifecycle.Find("deprecate_at")!.NamePosition, JsonPaths.Property(lifecycle.Path, "deprecate_at"),
                "deprecate_at and deprecate_after_days both set when the new AMI is deprecated; keep one");
        }

        if (lifecycle.Find("action") is not null && keep is null && bag.ErrorCount == errors)
        {
            bag.Error(lifecycle.Find("action")!.NamePosition, JsonPaths.Property(lifecycle.Path, "action"),
                "action says what happens to images past keep, but keep is not set; add \"keep\": N");
        }

        if (keep is null && afterDays is null && at is null && !protect && bag.ErrorCount == errors)
        {
            bag.Error(lifecycle.Position, lifecycle.Path,
                "lifecycle does nothing: set keep (retention), deprecate_after_days or deprecate_at (deprecation of the new AMI), or protect_newest");
        }

        return bag.ErrorCount > errors
            ? null
            : new LifecycleSettings
            {
                Family = family,
                Keep = keep,
                Action = action,
                DeprecateAfterDays = afterDays,
                DeprecateAt = at,
                ProtectNewest = protect,
                DryRun = dryRun,
            };
    }

    private static string? Family(JsonObjectNode lifecycle, DiagnosticBag bag)
    {
        var node = lifecycle.Find("family")?.Value;
        switch (node)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                return null;
            case JsonStringNode text when LifecycleFamilies.ProblemWithTemplate(text.Value) is { } problem:
                bag.Error(text, problem);
                return null;
            case JsonStringNode text:
                return text.Value;
            default:
                bag.Error(node, $"family must be a string such as \"web/{{{{build_name}}}}\", not {node.KindName}");
                return null;
        }
    }

    private static LifecycleAction Action(JsonObjectNode lifecycle, DiagnosticBag bag)
    {
        var node = lifecycle.Find("action")?.Value;
        switch (node)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                return LifecycleAction.Deregister;
            case JsonStringNode { Value: "deregister" }:
                return LifecycleAction.Deregister;
            case JsonStringNode { Value: "deprecate" }:
                return LifecycleAction.Deprecate;
            case JsonStringNode { Value: "disable" }:
                return LifecycleAction.Disable;
            case JsonStringNode text:
                bag.Error(text, $"action \"{text.Value}\" is not one of {string.Join(", ", Actions)}", Hcl.Suggestions.Closest(text.Value, Actions));
                return LifecycleAction.Deregister;
            default:
                bag.Error(node, $"action must be one of the strings {string.Join(", ", Actions)}, not {node.KindName}");
                return LifecycleAction.Deregister;
        }
    }

    private static int? WholeNumber(JsonObjectNode lifecycle, string key, int min, int max, string meaning, DiagnosticBag bag)
    {
        var node = lifecycle.Find(key)?.Value;
        switch (node)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                return null;
            case JsonScalarNode { Kind: JsonScalarKind.Number } number
                when int.TryParse(number.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var whole) && whole >= min && whole <= max:
                return whole;
            case JsonScalarNode { Kind: JsonScalarKind.Number } number:
                bag.Error(number, $"{key} is {number.Text}; it must be a whole number from {min} to {max}: {meaning}");
                return null;
            default:
                bag.Error(node, $"{key} must be a number: {meaning}; not {node.KindName}");
                return null;
        }
    }

    private static DateTimeOffset? DeprecateAt(JsonObjectNode lifecycle, DiagnosticBag bag)
    {
        var node = lifecycle.Find("deprecate_at")?.Value;
        switch (node)
        {
            case null or JsonScalarNode { Kind: JsonScalarKind.Null }:
                return null;
            case JsonStringNode text when DateTimeOffset.TryParseExact(
                text.Value, ["yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm'Z'", "yyyy-MM-dd"], CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at):
                return at;
            case JsonStringNode text:
                bag.Error(text, $"deprecate_at \"{text.Value}\" is not a UTC time; write it as \"2027-06-30T00:00:00Z\" or \"2027-06-30\"");
                return null;
            default:
                bag.Error(node, $"deprecate_at must be a UTC time as a string, e.g. \"2027-06-30T00:00:00Z\", not {node.KindName}");
                return null;
        }
    }
}
