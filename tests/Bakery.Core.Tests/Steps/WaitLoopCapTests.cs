using System.Text.Json.Nodes;
using Bakery.Core.Steps.Internal;
using Bakery.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// The definition's Choices leave a wait loop after a fixed number of checks, a safety net against a step that never
/// says done. The net must sit above what the steps themselves allow, or a slow but healthy wait would be cut short.
/// </summary>
public class WaitLoopCapTests
{
    public static TheoryData<string> Loops() => ["WaitForInstance", "Provision", "StopInstance", "CreateImage", "CopyImage", "Teardown"];

    [Theory]
    [MemberData(nameof(Loops))]
    public void Each_loop_of_the_definition_outlasts_the_default_wait_budget_of_its_step(string step)
    {
        var cap = CapOf(step);

        Assert.True(
            cap > Polling.FastChecks && Polling.Exhausted(cap, null),
            $"statemachine/bake.asl.json: {step}'s loop gives up after {cap} checks ({Polling.SecondsWaited(cap, null)} s of waits); " +
            $"the step's default budget takes {Polling.FastChecks} checks ({Polling.SecondsWaited(Polling.FastChecks, null)} s). Raise the {step}GaveUp cap.");
    }

    private static int CapOf(string step)
    {
        var definition = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("statemachine", "bake.asl.json")))!;
        var rule = Rules(definition).Single(r => (string?)r["Next"] == $"{step}GaveUp" && (string?)r["Variable"] == "$.wait.attempt");
        return (int)rule["NumericGreaterThanEquals"]!;
    }

    private static IEnumerable<JsonObject> Rules(JsonNode node) => node switch
    {
        JsonObject obj => (obj.ContainsKey("NumericGreaterThanEquals") ? [obj] : Enumerable.Empty<JsonObject>())
            .Concat(obj.SelectMany(p => p.Value is null ? [] : Rules(p.Value))),
        JsonArray array => array.SelectMany(item => item is null ? [] : Rules(item)),
        _ => [],
    };
}
