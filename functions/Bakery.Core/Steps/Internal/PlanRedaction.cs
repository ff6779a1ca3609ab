using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Bakery.Core.BuildFiles;
using Bakery.Core.BuildFiles.Model;
using Bakery.Core.Serialization;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Masks sensitive variable values in a rendered plan before it goes into the bake state (which Step Functions keeps
/// in its history). Works on the JSON tree's string values, not on JSON text, so escaping cannot hide a secret.
/// </summary>
internal static class PlanRedaction
{
    public static JsonTypeInfo<BuildPlan> PlanTypeInfo =>
        (JsonTypeInfo<BuildPlan>)BakeryJsonContext.Default.GetTypeInfo(typeof(BuildPlan))!;

    /// <summary>The plan with every sensitive value masked; the same instance when there was nothing to mask.</summary>
    public static BuildPlan Redact(BuildPlan plan, Redactor redactor)
    {
        if (redactor.IsEmpty)
        {
            return plan;
        }

        var node = JsonSerializer.SerializeToNode(plan, PlanTypeInfo);
        if (node is null || !RedactStrings(node, redactor))
        {
            return plan;
        }

        return node.Deserialize(PlanTypeInfo)!;
    }

    private static bool RedactStrings(JsonNode node, Redactor redactor)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue value && value.TryGetValue(out string? text))
                    {
                        var masked = redactor.Redact(text);
                        if (masked != text)
                        {
                            obj[name] = masked;
                            changed = true;
                        }
                    }
                    else if (child is not null)
                    {
                        changed |= RedactStrings(child, redactor);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue(out string? text))
                    {
                        var masked = redactor.Redact(text);
                        if (masked != text)
                        {
                            array[i] = masked;
                            changed = true;
                        }
                    }
                    else if (array[i] is { } child)
                    {
                        changed |= RedactStrings(child, redactor);
                    }
                }

                break;
        }

        return changed;
    }
}
