using System.Text.Json.Nodes;
using Bakery.Local.StepFunctions;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>The files the static checks read: the definition (as JSON) and template.yaml (as a YAML tree).</summary>
internal static class RepositoryFiles
{
    public static string DefinitionPath => RepositoryPaths.Combine("statemachine", "bake.asl.json");

    public static string DefinitionText => File.ReadAllText(DefinitionPath);

    public static JsonObject Definition => JsonNode.Parse(DefinitionText)!.AsObject();

    public static SamTemplate Template => SamTemplate.Load(RepositoryPaths.Combine("template.yaml"));

    /// <summary>Every state in the definition, nested Map/Parallel machines included, with the machine holding it.</summary>
    public static IEnumerable<(string Name, JsonObject State, JsonObject Machine)> AllStates(JsonObject machine)
    {
        foreach (var (name, node) in machine["States"]!.AsObject())
        {
            var state = node!.AsObject();
            yield return (name, state, machine);
            var nested = new List<JsonObject>();
            if (state["ItemProcessor"] is JsonObject processor)
            {
                nested.Add(processor);
            }

            if (state["Iterator"] is JsonObject iterator)
            {
                nested.Add(iterator);
            }

            if (state["Branches"] is JsonArray branches)
            {
                nested.AddRange(branches.Select(b => b!.AsObject()));
            }

            foreach (var inner in nested.SelectMany(AllStates))
            {
                yield return inner;
            }
        }
    }
}
