using System.Text.Json.Nodes;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Steps;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Tests.Steps.Fakes;
using Bakery.Testing;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// The definition's Choices leave a wait loop after a number of checks, a safety net against a step that never says
/// done. The number is the step's own (<c>$.wait.giveUpAfter</c>, derived from its budget), so a 12-hour provisioner
/// or a long aws_polling is not cut short by a constant, and the net's error says how many checks it really made.
/// </summary>
public class WaitLoopCapTests
{
    public static TheoryData<string> Loops() => ["WaitForInstance", "Provision", "StopInstance", "CreateImage", "CopyImage", "Teardown"];

    private static readonly JsonNode Definition = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("statemachine", "bake.asl.json")))!;

    [Theory]
    [MemberData(nameof(Loops))]
    public void Each_loop_gives_up_at_the_count_its_step_derives_and_says_how_many_checks_it_made(string step)
    {
        var rule = Rules(Definition).Single(r => (string?)r["Next"] == $"{step}GaveUp" && (string?)r["Variable"] == "$.wait.attempt");
        var gaveUp = States(Definition).Single(pair => pair.Key == $"{step}GaveUp").Value;

        Assert.Equal("$.wait.giveUpAfter", (string?)rule["NumericGreaterThanEqualsPath"]);
        Assert.False(rule.ContainsKey("NumericGreaterThanEquals"), $"{step}GaveUp still has a fixed cap");
        var cause = (string?)gaveUp["Parameters"]?["Cause.$"];
        Assert.NotNull(cause);
        Assert.StartsWith($"States.Format('{step}:", cause, StringComparison.Ordinal);
        Assert.EndsWith("$.wait.attempt)", cause, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(600, null)]
    [InlineData(12 * 3600, null)]
    [InlineData(48 * 3600 + 3600, null)]
    [InlineData(3600, 60)]
    public void The_derived_cap_outlasts_the_budget_it_comes_from(long budgetSeconds, int? delaySeconds)
    {
        var polling = delaySeconds is { } delay ? new AwsPolling { DelaySeconds = delay, MaxAttempts = (int)(budgetSeconds / delay) } : null;

        var cap = Polling.GiveUpAfter(budgetSeconds, polling);

        Assert.True(Polling.SecondsWaited(cap, polling) >= budgetSeconds, $"{cap} checks wait {Polling.SecondsWaited(cap, polling)} s of {budgetSeconds} s");
        Assert.True(Polling.SecondsWaited(cap - Polling.GiveUpSlackChecks - 1, polling) < budgetSeconds, "the cap should not be far past the budget");
    }

    [Fact]
    public async Task A_12_hour_provisioner_still_running_after_3_hours_keeps_its_loop_and_moves_the_build_deadline()
    {
        var aws = new FakeAws();
        var clock = StepTestStates.Clock();
        var step = new ProvisionStep(aws, StepTestStates.Retry(), clock);
        var deadline = clock.GetUtcNow().AddHours(2).ToUnixTimeSeconds();
        var state = StepTestStates.Nginx(new ShellProvisioner { Inline = ["make world"], TimeoutSeconds = 12 * 3600 })
            with
        { Instance = new InstanceInfo { InstanceId = "i-1", State = "running" }, DeadlineEpochSeconds = deadline };
        state = await step.RunAsync(state, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(3));
        // The check after 490 (today's fixed cap, about 3 h of waits in): the command is still running.
        aws.QueueInvocations(new CommandInvocation("x", "InProgress"));

        var checkedState = await step.RunAsync(state with { Wait = state.Wait! with { Attempt = 490 } }, CancellationToken.None);

        var wait = checkedState.Wait!;
        Assert.False(wait.Done);
        Assert.True(Polling.SecondsWaited(wait.GiveUpAfter, null) >= 12 * 3600, $"the loop gives up after {wait.GiveUpAfter} checks");
        Assert.True(wait.GiveUpAfter > 491);
        Assert.True(checkedState.DeadlineEpochSeconds > clock.GetUtcNow().ToUnixTimeSeconds(),
            $"the deadline {DateTimeOffset.FromUnixTimeSeconds(checkedState.DeadlineEpochSeconds):u} is behind a live build at {clock.GetUtcNow():u}");
    }

    [Fact]
    public async Task A_builder_launched_late_gets_its_own_deadline_from_its_launch()
    {
        var aws = new FakeAws();
        var clock = StepTestStates.Clock();
        var prepared = clock.GetUtcNow();
        var deadline = prepared.AddHours(2).ToUnixTimeSeconds();
        var state = StepTestStates.Nginx() with { DeadlineEpochSeconds = deadline, Timings = [new StepTiming("Prepare", prepared, prepared)] };
        clock.Advance(TimeSpan.FromHours(5)); // the fifth builder of a file waited for a free slot in the Map

        var launched = await new LaunchStep(aws, StepTestStates.Configuration, StepTestStates.Retry(), clock).RunAsync(state, CancellationToken.None);

        Assert.Equal(clock.GetUtcNow().AddHours(2).ToUnixTimeSeconds(), launched.DeadlineEpochSeconds);
    }

    private static IEnumerable<KeyValuePair<string, JsonNode>> States(JsonNode node) => node switch
    {
        JsonObject obj => (obj["States"] is JsonObject states ? states.Select(p => new KeyValuePair<string, JsonNode>(p.Key, p.Value!)) : [])
            .Concat(obj.SelectMany(p => p.Value is null ? [] : States(p.Value))),
        JsonArray array => array.SelectMany(item => item is null ? [] : States(item)),
        _ => [],
    };

    private static IEnumerable<JsonObject> Rules(JsonNode node) => node switch
    {
        JsonObject obj => (obj.ContainsKey("Variable") && (string?)obj["Variable"] == "$.wait.attempt" ? [obj] : Enumerable.Empty<JsonObject>())
            .Concat(obj.SelectMany(p => p.Value is null ? [] : Rules(p.Value))),
        JsonArray array => array.SelectMany(item => item is null ? [] : Rules(item)),
        _ => [],
    };
}
