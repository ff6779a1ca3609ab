using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Text.Json.Serialization.Metadata;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
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

    /// <summary>True when some string in the plan holds <see cref="Redactor.Mask"/>: the real values are in the rendered plan.</summary>
    public static bool ContainsMask(BuildPlan plan) =>
        JsonSerializer.SerializeToNode(plan, PlanTypeInfo) is { } node && Strings(node).Any(text => text.Contains(Redactor.Mask, StringComparison.Ordinal));

    /// <summary>
    /// The values masked in <paramref name="masked"/>, recovered by lining its strings up with the same strings of
    /// <paramref name="real"/>, as a redactor for whatever the real values may reach (command output, messages).
    /// A string that does not line up is treated as secret whole, so the result never masks less than it should.
    /// </summary>
    public static Redactor RecoverSecrets(BuildPlan masked, BuildPlan real)
    {
        var maskedStrings = JsonSerializer.SerializeToNode(masked, PlanTypeInfo) is { } m ? Strings(m).ToList() : [];
        var realStrings = JsonSerializer.SerializeToNode(real, PlanTypeInfo) is { } r ? Strings(r).ToList() : [];
        var secrets = new List<string>();
        if (maskedStrings.Count != realStrings.Count)
        {
            // Not the same plan shape: every string that differs anywhere is suspect.
            return new Redactor(realStrings.Except(maskedStrings, StringComparer.Ordinal));
        }

        for (var i = 0; i < maskedStrings.Count; i++)
        {
            var (shown, value) = (maskedStrings[i], realStrings[i]);
            if (shown == value || !shown.Contains(Redactor.Mask, StringComparison.Ordinal))
            {
                if (shown != value)
                {
                    secrets.Add(value);
                }

                continue;
            }

            var pattern = "^" + string.Join("(.+?)", shown.Split(Redactor.Mask).Select(Regex.Escape)) + "$";
            var match = Regex.Match(value, pattern, RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            if (match.Success)
            {
                secrets.AddRange(match.Groups.Values.Skip(1).Select(group => group.Value));
            }
            else
            {
                secrets.Add(value);
            }
        }

        return new Redactor(secrets);
    }

    private static IEnumerable<string> Strings(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    foreach (var text in child is null ? [] : Strings(child))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    foreach (var text in child is null ? [] : Strings(child))
                    {
                        yield return text;
                    }
                }

                break;
            case JsonValue value when value.TryGetValue(out string? text):
                yield return text;
                break;
        }
    }
}
