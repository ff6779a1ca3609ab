using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bakery.BuildFiles.Model;

namespace Bakery.Conformance.Tests.Rendering;

/// <summary>
/// Pairs every template string of a build file that renders at validation time with the value Bakery's engine gave it:
/// each variable (declared or passed), and the amazon-ebs fields, tags and provisioner values a user's templates feed.
/// Strings that hold build-time data or change from run to run (<c>timestamp</c>, <c>uuid</c>, <c>isotime</c>,
/// <c>build_name</c>, <c>.SourceAMI</c>, ...) are not here: the AMI comparison checks those, on what both tools built.
/// </summary>
public static partial class RenderProbes
{
    private static readonly string[] BuilderFields =
        ["region", "instance_type", "source_ami", "ami_name", "ami_description", "iam_instance_profile", "subnet_id", "vpc_id", "kms_key_id"];

    private static readonly string[] TagFields = ["tags", "run_tags", "snapshot_tags", "run_volume_tags"];

    public static IReadOnlyList<RenderProbe> Collect(JsonObject file, IEnumerable<string> passedVariables, BuildDefinition definition, Func<string, string> renderBuilderName)
    {
        var probes = new List<RenderProbe>();
        var sensitive = definition.SensitiveVariables.ToHashSet(StringComparer.Ordinal);
        var declared = (file["variables"] as JsonObject)?.Select(p => p.Key) ?? [];
        foreach (var name in declared.Concat(passedVariables).Distinct(StringComparer.Ordinal).Where(n => !sensitive.Contains(n)))
        {
            probes.Add(new RenderProbe($"variables.{name}", $"{{{{user `{name}`}}}}",
                definition.Variables.TryGetValue(name, out var value) ? value : "<not among Bakery's variables>"));
        }

        var builders = file["builders"] as JsonArray ?? [];
        for (var i = 0; i < builders.Count; i++)
        {
            if (builders[i] is not JsonObject builder || (string?)builder["type"] != "amazon-ebs")
            {
                continue;
            }

            var name = renderBuilderName((string?)builder["name"] ?? "amazon-ebs");
            var plan = definition.Builds.FirstOrDefault(b => b.Builder.Name == name);
            if (plan is null)
            {
                continue; // left out by -only/-except
            }

            AddBuilder(probes, $"builders[{i}]", builder, plan);
        }

        if (file["provisioners"] is JsonArray provisioners && definition.Builds.Count > 0)
        {
            AddProvisioners(probes, provisioners, definition.Builds[0]);
        }

        return [.. probes.Where(p => Stable(p.Template))];
    }

    private static void AddBuilder(List<RenderProbe> probes, string place, JsonObject builder, BuildPlan plan)
    {
        var ebs = plan.Builder;
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["region"] = ebs.Region,
            ["instance_type"] = ebs.InstanceType,
            ["source_ami"] = ebs.SourceAmi,
            ["ami_name"] = ebs.AmiName,
            ["ami_description"] = ebs.AmiDescription,
            ["iam_instance_profile"] = ebs.IamInstanceProfile,
            ["subnet_id"] = ebs.SubnetId,
            ["vpc_id"] = ebs.VpcId,
            ["kms_key_id"] = ebs.KmsKeyId,
        };
        foreach (var field in BuilderFields)
        {
            if (builder[field] is JsonValue raw && raw.TryGetValue<string>(out var template))
            {
                // Packer treats a field that renders to "" as unset; Bakery's model says null.
                probes.Add(new RenderProbe($"{place}.{field}", template, values[field] ?? ""));
            }
        }

        var tagMaps = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal)
        {
            ["tags"] = ebs.Tags,
            ["run_tags"] = ebs.RunTags,
            ["snapshot_tags"] = ebs.SnapshotTags,
            ["run_volume_tags"] = ebs.RunVolumeTags,
        };
        foreach (var field in TagFields)
        {
            if (builder[field] is not JsonObject tags)
            {
                continue;
            }

            // Keys are templates too; Bakery's map holds rendered keys, so pair them in file order.
            var rendered = tagMaps[field].ToList();
            var index = 0;
            foreach (var (key, value) in tags)
            {
                var pair = index < rendered.Count ? rendered[index] : new KeyValuePair<string, string>("<missing>", "<missing>");
                probes.Add(new RenderProbe($"{place}.{field} key {index}", key, pair.Key));
                if (value is JsonValue v && v.TryGetValue<string>(out var text))
                {
                    probes.Add(new RenderProbe($"{place}.{field}.{key}", text, pair.Value));
                }

                index++;
            }
        }

    }

    private static void AddProvisioners(List<RenderProbe> probes, JsonArray provisioners, BuildPlan plan)
    {
        foreach (var provisioner in plan.Provisioners)
        {
            if (provisioners[provisioner.Index] is not JsonObject raw)
            {
                continue;
            }

            var place = $"provisioners[{provisioner.Index}]";
            switch (provisioner)
            {
                case ShellProvisioner shell:
                    AddList(probes, $"{place}.inline", raw["inline"], shell.Inline);
                    AddList(probes, $"{place}.environment_vars", raw["environment_vars"], [.. shell.EnvironmentVars.Select(p => $"{p.Key}={p.Value}")]);
                    break;
                case FileProvisioner file when raw["destination"] is JsonValue destination && destination.TryGetValue<string>(out var text):
                    probes.Add(new RenderProbe($"{place}.destination", text, file.Destination));
                    break;
            }
        }
    }

    private static void AddList(List<RenderProbe> probes, string place, JsonNode? raw, IReadOnlyList<string> rendered)
    {
        if (raw is not JsonArray items)
        {
            return;
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonValue v && v.TryGetValue<string>(out var text))
            {
                probes.Add(new RenderProbe($"{place}[{i}]", text, i < rendered.Count ? rendered[i] : "<missing>"));
            }
        }
    }

    private static bool Stable(string template) => !template.Contains('\n', StringComparison.Ordinal) && !Unstable().IsMatch(template);

    [GeneratedRegex(@"timestamp|uuid|isotime|build_name|build_type|\.Build|\.Source|build\s*`|packer_version|clean_resource_name")]
    private static partial Regex Unstable();
}
