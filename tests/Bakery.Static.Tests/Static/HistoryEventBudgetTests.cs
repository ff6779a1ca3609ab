using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>
/// Step Functions keeps at most 25,000 events in a standard workflow's execution history ("Maximum execution history
/// size", a hard quota: https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html); an execution that
/// reaches it fails, and no Teardown runs (the janitor cleans up after the deadline). An inline Map's iterations write
/// into the same history, so every builder of a file shares it. This computes what a build costs from
/// statemachine/bake.asl.json and Polling.cs and checks docs/reliability.md quotes those numbers.
/// </summary>
public sealed partial class HistoryEventBudgetTests
{
    private const int HistoryEvents = 25_000;

    /// <summary>
    /// History events per state (the HistoryEvent types of GetExecutionHistory): a Lambda task is Entered, Scheduled,
    /// Started, Succeeded, Exited; every other state Entered and Exited.
    /// </summary>
    private static int Cost(JsonObject state) => (string?)state["Type"] == "Task" ? 5 : 2;

    private static Dictionary<string, JsonObject> Build() =>
        RepositoryFiles.Definition["States"]!["BakeEachBuild"]!["ItemProcessor"]!["States"]!.AsObject()
            .ToDictionary(pair => pair.Key, pair => pair.Value!.AsObject(), StringComparer.Ordinal);

    /// <summary>Every wait loop: a Wait state → the step's Task → a Choice whose Default is the Wait again.</summary>
    private static List<(string Wait, int EventsPerCheck)> Loops()
    {
        var states = Build();
        var loops = new List<(string, int)>();
        foreach (var (name, wait) in states.Where(s => (string?)s.Value["Type"] == "Wait"))
        {
            var task = states[(string)wait["Next"]!];
            var choice = states[(string)task["Next"]!];
            Assert.Equal("Choice", (string?)choice["Type"]);
            Assert.Equal(name, (string?)choice["Default"]);
            loops.Add((name, Cost(wait) + Cost(task) + Cost(choice)));
        }

        return loops;
    }

    /// <summary>
    /// A successful build's longest path (testing the image, publishing a parameter) with one check per wait (Succeed
    /// included), as the definition has it. Every further check of a loop, TestImage's included (its launch and its
    /// commands take at least two), is spent from the build's share when it is made, so the path counts none of them.
    /// </summary>
    private static int EventsOfOneBuild()
    {
        string[] path =
        [
            "Resume?", "Launch", "WaitForInstance", "WaitForInstanceDone", "Provision", "ProvisionDone", "StopInstance", "StopInstanceDone",
            "CreateImage", "CreateImageDone", "TestImage?", "TestImage", "TestImageDone", "Teardown", "TeardownDone", "TagImage", "CopyImage", "CopyImageDone", "ShareImage",
            "PublishParameter?", "PublishParameter", "BuildFinished",
        ];
        var states = Build();
        for (var i = 0; i < path.Length - 1; i++)
        {
            var state = states[path[i]];
            var next = (string?)state["Next"] ?? string.Empty;
            var choices = state["Choices"] is JsonArray list ? list.Select(c => (string?)c!["Next"]).Append((string?)state["Default"]).ToList() : [];
            Assert.True(next == path[i + 1] || choices.Contains(path[i + 1]), $"{path[i]} does not lead to {path[i + 1]}");
        }

        // + MapIterationStarted and MapIterationSucceeded.
        return path.Sum(name => Cost(states[name])) + 2;
    }

    /// <summary>
    /// The execution around the builds: ExecutionStarted/Succeeded, Prepare, NothingToDo?, the Map (Entered, Started,
    /// Succeeded, Exited), TeardownBuild, Publish, PublishFailed?, Lifecycle? and Lifecycle (the longest path), and CheckResults (a Map of a Choice and a Succeed per build).
    /// </summary>
    private static (int Fixed, int PerBuild) ExecutionOverhead()
    {
        var states = RepositoryFiles.Definition["States"]!.AsObject();
        var check = states["CheckResults"]!["ItemProcessor"]!["States"]!.AsObject();
        var fixedEvents = 2 + Cost(states["Prepare"]!.AsObject()) + Cost(states["NothingToDo?"]!.AsObject()) + 4
            + Cost(states["TeardownBuild"]!.AsObject()) + Cost(states["Publish"]!.AsObject()) + Cost(states["PublishFailed?"]!.AsObject())
            + Cost(states["Lifecycle?"]!.AsObject()) + Cost(states["Lifecycle"]!.AsObject()) + 4;
        var perBuild = 2 + Cost(check["BuildFailed?"]!.AsObject()) + Cost(check["BuildSucceeded"]!.AsObject());
        return (fixedEvents, perBuild);
    }

    /// <summary>Polling's schedule, read from its source as tools/benchmarks/cost_model.py reads it.</summary>
    private static (int[] Schedule, int FastSeconds, int SlowSeconds) PollingSchedule()
    {
        var source = File.ReadAllText(RepositoryPaths.Combine("functions", "Bakery.Core", "Steps", "Internal", "Polling.cs"));
        var schedule = ScheduleLine().Match(source).Groups[1].Value.Split(',').Select(v => int.Parse(v.Trim(), CultureInfo.InvariantCulture)).ToArray();
        return (schedule, int.Parse(FastLine().Match(source).Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(SlowLine().Match(source).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>How many checks a wait of <paramref name="seconds"/> takes with the default schedule.</summary>
    private static int ChecksFor(long seconds)
    {
        var (schedule, fast, slow) = PollingSchedule();
        long waited = 0;
        var checks = 0;
        while (waited < seconds)
        {
            waited += waited >= fast ? slow : schedule[Math.Min(checks, schedule.Length - 1)];
            checks++;
        }

        return checks;
    }

    [Fact]
    public void Every_wait_loop_check_costs_9_history_events()
    {
        var loops = Loops();
        Assert.Equal(["CopyImageWait", "CreateImageWait", "ErrorCleanupWait", "ProvisionWait", "StopInstanceWait", "TeardownWait", "TestImageWait", "WaitForInstanceWait"], loops.Select(l => l.Wait).Order(StringComparer.Ordinal));
        Assert.All(loops, loop => Assert.Equal(9, loop.EventsPerCheck));
    }

    [Fact]
    public void Reliability_md_quotes_the_history_budget_computed_from_the_definition_and_the_polling_schedule()
    {
        var perBuild = EventsOfOneBuild();
        var (fixedEvents, checkPerBuild) = ExecutionOverhead();
        var firstTenMinutes = ChecksFor(600);
        int HoursOfProvisioning(int builds)
        {
            // Checks left for each build's provisioning once the fixed path is paid; one long command, default polling.
            var checks = (HistoryEvents - fixedEvents - (builds * (perBuild + checkPerBuild))) / 9 / builds;
            var (_, fast, slow) = PollingSchedule();
            return (int)((fast + ((long)(checks - firstTenMinutes) * slow)) / 3600);
        }

        var doc = File.ReadAllText(RepositoryPaths.Combine("docs", "reliability.md"));
        var quoted = $"a check costs 9 events; one successful build's path {perBuild} events and the execution around the builds " +
            $"{fixedEvents} + {checkPerBuild} per build; the first 10 minutes of any wait take {firstTenMinutes} checks " +
            $"({firstTenMinutes * 9:N0} events), again for each provisioner; one long command can then run about " +
            $"{HoursOfProvisioning(1)} h in a file of one builder, {HoursOfProvisioning(4)} h each with 4 builders";
        Assert.Contains(quoted, doc.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void The_counts_that_share_out_the_history_are_the_definitions()
    {
        var (fixedEvents, checkPerBuild) = ExecutionOverhead();

        Assert.Equal(HistoryEvents, Bakery.Core.Steps.Internal.AwsLimits.ExecutionHistoryEvents);
        Assert.Equal(Bakery.Core.Steps.Internal.HistoryEvents.OneBuildPath, EventsOfOneBuild());
        Assert.Equal(Bakery.Core.Steps.Internal.HistoryEvents.ExecutionFixed, fixedEvents);
        Assert.Equal(Bakery.Core.Steps.Internal.HistoryEvents.ExecutionPerBuild, checkPerBuild);
        Assert.All(Loops(), loop => Assert.Equal(Bakery.Core.Steps.Internal.HistoryEvents.PerCheck, loop.EventsPerCheck));
    }

    [GeneratedRegex(@"Schedule = \[([0-9, ]+)\]")]
    private static partial Regex ScheduleLine();

    [GeneratedRegex(@"FastSeconds = (\d+);")]
    private static partial Regex FastLine();

    [GeneratedRegex(@"SlowDelaySeconds = (\d+);")]
    private static partial Regex SlowLine();
}
