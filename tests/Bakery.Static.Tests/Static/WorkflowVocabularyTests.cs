using System.Text.Json.Nodes;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>
/// The names statemachine/bake.asl.json shares with the C# code: the Task states are <see cref="StepNames"/>, and the
/// error names the definition matches or raises are the short names of <see cref="BakeryException"/> types (the
/// runtime reports <c>errorType</c> = the exception's type name), while every such error reaches a Catch.
/// </summary>
public sealed class WorkflowVocabularyTests
{
    /// <summary>Names Step Functions and Lambda give errors themselves; no C# type produces them.</summary>
    private static readonly string[] ServicePrefixes = ["States.", "Lambda.", "Sandbox."];

    private static readonly IReadOnlySet<string> ErrorTypes = typeof(BakeryException).Assembly.GetTypes()
        .Where(type => type.IsSubclassOf(typeof(BakeryException)) && !type.IsAbstract)
        .Select(type => type.Name)
        .ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_task_runs_a_step_named_in_StepNames_and_every_workflow_step_has_its_task()
    {
        var resources = RepositoryFiles.AllStates(RepositoryFiles.Definition)
            .Where(s => (string?)s.State["Type"] == "Task")
            .Select(s => (string)s.State["Resource"]!)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(StepNames.Workflow.Select(step => $"${{{step}FunctionArn}}").Order(StringComparer.Ordinal), resources.Order(StringComparer.Ordinal));
        Assert.Equal(StepNames.Workflow.Append(StepNames.Janitor), StepNames.Handlers);
    }

    [Fact]
    public void Every_error_the_definition_names_is_the_name_of_a_BakeryException_type()
    {
        var named = NamedErrors().Where(error => !ServicePrefixes.Any(prefix => error.StartsWith(prefix, StringComparison.Ordinal))).ToList();

        Assert.Contains(nameof(AwsTransientError), named);
        Assert.Contains(nameof(StepTimedOut), named);
        Assert.All(named, error => Assert.Contains(error, ErrorTypes));
    }

    [Fact]
    public void Every_BakeryException_a_step_after_Prepare_throws_is_caught_by_its_task()
    {
        Assert.Contains(nameof(ProvisionerFailed), ErrorTypes);
        var tasks = RepositoryFiles.AllStates(RepositoryFiles.Definition)
            .Where(s => (string?)s.State["Type"] == "Task" && s.Name != StepNames.Prepare)
            .ToList();
        Assert.NotEmpty(tasks);
        foreach (var (name, state, _) in tasks)
        {
            var caught = state["Catch"]?.AsArray().SelectMany(c => c!["ErrorEquals"]!.AsArray().Select(e => (string)e!)).ToHashSet(StringComparer.Ordinal) ?? [];
            Assert.All(ErrorTypes, error => Assert.True(caught.Contains(error) || caught.Contains("States.ALL"), $"{name} does not catch {error}"));
        }
    }

    /// <summary>Every error name in the definition: what Retry/Catch match and what Pass/Fail states raise.</summary>
    private static List<string> NamedErrors()
    {
        var names = new List<string>();
        foreach (var (_, state, _) in RepositoryFiles.AllStates(RepositoryFiles.Definition))
        {
            foreach (var rule in (state["Retry"]?.AsArray() ?? []).Concat(state["Catch"]?.AsArray() ?? []))
            {
                names.AddRange(rule!["ErrorEquals"]!.AsArray().Select(e => (string)e!));
            }

            foreach (var holder in new[] { state, state["Parameters"] as JsonObject, state["Result"] as JsonObject })
            {
                if (holder?["Error"] is JsonValue error && error.TryGetValue(out string? text))
                {
                    names.Add(text);
                }
            }
        }

        return names;
    }
}
