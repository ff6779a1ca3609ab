using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>The workflow rules of DESIGN.md ("The flow"), checked on statemachine/bake.asl.json itself.</summary>
public sealed partial class DefinitionTests
{
    private static readonly string[] TransientLambdaErrors =
    [
        "Lambda.ServiceException", "Lambda.AWSLambdaException", "Lambda.SdkClientException", "Lambda.TooManyRequestsException",
    ];

    private static readonly IReadOnlyList<string> Steps = StepNames.Workflow;

    private static IEnumerable<(string Name, JsonObject State)> Tasks() =>
        RepositoryFiles.AllStates(RepositoryFiles.Definition)
            .Where(s => (string?)s.State["Type"] == "Task")
            .Select(s => (s.Name, s.State));

    /// <summary>Tasks that run a step's function a second time, under their own name: state name → step.</summary>
    private static readonly Dictionary<string, string> SecondRuns = new(StringComparer.Ordinal)
    {
        // Teardown on the whole build after the Map, for the staged files the builders shared.
        ["TeardownBuild"] = "Teardown",
    };

    [Fact]
    public void Every_step_but_the_janitor_is_a_task_named_after_it_calling_its_function_arn()
    {
        var tasks = Tasks().ToList();
        Assert.Equal(Steps.Concat(SecondRuns.Keys).Order(), tasks.Select(t => t.Name).Order());
        foreach (var (name, state) in tasks)
        {
            Assert.Equal($"${{{SecondRuns.GetValueOrDefault(name, name)}FunctionArn}}", (string?)state["Resource"]);
        }
    }

    [Fact]
    public void After_every_build_finished_teardown_runs_on_the_whole_build_before_publish_and_cannot_fail_it()
    {
        var states = RepositoryFiles.Definition["States"]!.AsObject();
        Assert.Equal("TeardownBuild", (string?)BuildMap()["Next"]);
        var teardown = states["TeardownBuild"]!.AsObject();
        Assert.Equal("Publish", (string?)teardown["Next"]);
        var catcher = Assert.Single(teardown["Catch"]!.AsArray())!.AsObject();
        Assert.Equal(["States.ALL"], catcher["ErrorEquals"]!.AsArray().Select(e => (string)e!));
        Assert.Equal("Publish", (string?)catcher["Next"]);
        Assert.NotEqual("$.error", (string?)catcher["ResultPath"]);
    }

    [Fact]
    public void Every_task_retries_transient_lambda_errors_and_AwsTransientError_with_backoff_and_full_jitter()
    {
        foreach (var (name, state) in Tasks())
        {
            var retriers = state["Retry"]?.AsArray().Select(r => r!.AsObject()).ToList() ?? [];
            var errors = retriers.SelectMany(r => r["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToList();
            Assert.All(TransientLambdaErrors.Append(nameof(AwsTransientError)), e => Assert.Contains(e, errors));
            Assert.All(retriers, r =>
            {
                Assert.Equal("FULL", (string?)r["JitterStrategy"]);
                Assert.True((double)r["BackoffRate"]! > 1, $"{name}: BackoffRate must grow the interval");
                Assert.NotNull(r["MaxDelaySeconds"]);
                Assert.InRange((int)r["MaxAttempts"]!, 1, 10);
            });
            Assert.True((int?)state["TimeoutSeconds"] > 0, $"{name}: a Task without TimeoutSeconds can hang for a year");
        }
    }

    [Fact]
    public void Every_state_of_a_build_that_can_fail_runs_teardown_with_the_original_state_kept()
    {
        var map = BuildMap();
        var iteration = map["ItemProcessor"]!.AsObject();
        foreach (var (name, state, _) in RepositoryFiles.AllStates(iteration).Where(s => (string?)s.State["Type"] == "Task"))
        {
            var catcher = Assert.Single(state["Catch"]!.AsArray())!.AsObject();
            Assert.Equal(["States.ALL"], catcher["ErrorEquals"]!.AsArray().Select(e => (string)e!));
            if (name == "Teardown")
            {
                // Teardown's own failure must not overwrite the error that sent the build to Teardown.
                Assert.NotEqual("$.error", (string?)catcher["ResultPath"]);
                continue;
            }

            if (name == "ErrorCleanup")
            {
                // It runs because Provision failed: its own failure keeps Provision's error and still tears down.
                Assert.Equal(("$.errorCleanupError", "Teardown"), ((string?)catcher["ResultPath"], (string?)catcher["Next"]));
                continue;
            }

            Assert.Equal("$.error", (string?)catcher["ResultPath"]);
            // A failed Provision may run the error-cleanup-provisioner first; every other step goes straight to Teardown.
            Assert.Equal(name == "Provision" ? "ErrorCleanup?" : "Teardown", (string?)catcher["Next"]);
        }
    }

    [Fact]
    public void Every_wait_loop_waits_in_a_wait_state_for_the_steps_hint_and_is_bounded()
    {
        var states = RepositoryFiles.AllStates(RepositoryFiles.Definition).ToList();
        var waits = states.Where(s => (string?)s.State["Type"] == "Wait").ToList();
        Assert.NotEmpty(waits);
        foreach (var (name, wait, machine) in waits)
        {
            Assert.Equal("$.wait.seconds", (string?)wait["SecondsPath"]);
            var step = (string)wait["Next"]!;
            Assert.Equal("Task", (string?)machine["States"]![step]!["Type"]);

            // The Choice that leads into this Wait must also leave the loop once the step's attempts run out (the count
            // the step derives from its budget, in the state).
            var choice = machine["States"]!.AsObject()
                .Single(s => (string?)s.Value!["Default"] == name).Value!.AsObject();
            Assert.Contains(choice["Choices"]!.AsArray(), rule =>
                (string?)rule!["Variable"] == "$.wait.attempt" && (string?)rule["NumericGreaterThanEqualsPath"] == "$.wait.giveUpAfter");
            Assert.Contains(choice["Choices"]!.AsArray(), rule => rule!.ToJsonString().Contains("\"$.wait.done\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Builds_run_in_a_bounded_map_and_a_failed_build_fails_the_execution_with_its_own_error()
    {
        var map = BuildMap();
        Assert.Equal("$.builds", (string?)map["ItemsPath"]);
        Assert.Equal("$.results", (string?)map["ResultPath"]);
        Assert.InRange((int)map["MaxConcurrency"]!, 1, 10);

        var fails = RepositoryFiles.AllStates(RepositoryFiles.Definition).Where(s => (string?)s.State["Type"] == "Fail").ToList();
        Assert.NotEmpty(fails);
        Assert.All(fails, f =>
        {
            Assert.Equal("$.error.Error", (string?)f.State["ErrorPath"]);
            Assert.Equal("$.error.Cause", (string?)f.State["CausePath"]);
        });
    }

    [Fact]
    public void A_skipped_trigger_ends_succeeded_right_after_prepare()
    {
        var states = RepositoryFiles.Definition["States"]!.AsObject();
        Assert.Equal("Prepare", (string?)RepositoryFiles.Definition["StartAt"]);
        var afterPrepare = states[(string)states["Prepare"]!["Next"]!]!.AsObject();
        var rule = Assert.Single(afterPrepare["Choices"]!.AsArray())!.AsObject();
        Assert.Equal("$.skip", (string?)rule["Variable"]);
        Assert.Equal("Succeed", (string?)states[(string)rule["Next"]!]!["Type"]);
    }

    [Fact]
    public void The_execution_has_an_overall_timeout()
    {
        Assert.InRange((int)RepositoryFiles.Definition["TimeoutSeconds"]!, 3600, 259_200);
    }

    [Fact]
    public void Every_placeholder_is_defined_in_the_templates_definition_substitutions_and_every_substitution_is_used()
    {
        var placeholders = Placeholder().Matches(RepositoryFiles.DefinitionText).Select(m => m.Groups[1].Value).ToHashSet();
        var template = RepositoryFiles.Template;
        var substitutions = template.DefinitionSubstitutions(template.StateMachineLogicalId()).Keys.ToHashSet();
        Assert.NotEmpty(placeholders);
        Assert.Equal(placeholders.Order(), substitutions.Order());
    }

    private static JsonObject BuildMap() =>
        RepositoryFiles.AllStates(RepositoryFiles.Definition)
            .Single(s => (string?)s.State["Type"] == "Map" && (string?)s.State["ItemsPath"] == "$.builds").State;

    [GeneratedRegex(@"\$\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();
}
