using Bakery.BuildFiles.Internal;

namespace Bakery.BuildFiles.Settings;

/// <summary>
/// Reads <c>capacity</c> of Bakery's settings: the instance types to fall back to, in order, and whether on-demand
/// follows when spot has no capacity (docs/build-files.md). Every problem is reported at its place with the fix.
/// </summary>
internal static class CapacitySettingsReader
{
    private static readonly string[] Keys = ["fallback_instance_types", "on_demand_fallback"];

    public static CapacitySettings? Read(JsonObjectNode settings, DiagnosticBag bag)
    {
        if (SettingsSection.Open(settings, "capacity", "{\"fallback_instance_types\": [\"t3a.micro\", \"t2.micro\"], \"on_demand_fallback\": true}", Keys, bag)
            is not { } capacity)
        {
            return null;
        }

        return new CapacitySettings
        {
            FallbackInstanceTypes = FallbackInstanceTypes(capacity, bag),
            OnDemandFallback = SettingsSection.Flag(capacity, "on_demand_fallback", bag),
        };
    }

    private static List<string> FallbackInstanceTypes(JsonObjectNode capacity, DiagnosticBag bag)
    {
        var types = new List<string>();
        switch (SettingsSection.Value(capacity, "fallback_instance_types"))
        {
            case null:
                break;
            case JsonArrayNode list:
                foreach (var item in list.Items)
                {
                    if (item is not JsonStringNode text)
                    {
                        bag.Error(item, $"fallback_instance_types holds instance type names such as \"t3a.micro\", not {item.KindName}");
                    }
                    else if (!InstanceTypeNames.IsWellFormed(text.Value))
                    {
                        bag.Error(item, $"\"{text.Value}\" is not an EC2 instance type (lower-case letters, digits, . and -, like t3a.micro)");
                    }
                    else if (types.Contains(text.Value, StringComparer.Ordinal))
                    {
                        bag.Error(item, $"\"{text.Value}\" is listed twice; each type is tried once");
                    }
                    else
                    {
                        types.Add(text.Value);
                    }
                }

                break;
            case var other:
                bag.Error(other, $"fallback_instance_types must be an array such as [\"t3a.micro\", \"t2.micro\"], not {other.KindName}");
                break;
        }

        return types;
    }
}
