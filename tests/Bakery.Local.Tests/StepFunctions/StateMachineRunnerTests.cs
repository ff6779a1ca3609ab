using Bakery.Local.StepFunctions;
using Bakery.Testing;

namespace Bakery.Local.Tests.StepFunctions;

/// <summary>
/// The local Step Functions runner (infra/local/stepfunctions/run.mjs) on definitions without Task states, so no Lambda
/// service is needed. Each test writes a definition no run has seen (a fresh Comment), because the runner remembers
/// which filled texts asl-validator has passed and validates only new ones.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class StateMachineRunnerTests : IDisposable
{
    private readonly DirectoryInfo folder = Directory.CreateTempSubdirectory("bakery-runner-test-");

    public void Dispose() => folder.Delete(recursive: true);

    [Fact]
    public async Task A_valid_definition_runs_again_after_its_text_was_validated_once()
    {
        var started = DateTime.UtcNow.AddSeconds(-1);
        var runner = Runner(Definition(next: "Done"));

        var first = await runner.RunAsync("""{"name":"first"}""");
        var stamps = ValidationStamps().Where(stamp => File.GetLastWriteTimeUtc(stamp) >= started).ToList();
        var second = await runner.RunAsync("""{"name":"second"}""");

        Assert.Equal(ExecutionStatus.Succeeded, first.Status);
        Assert.Equal(ExecutionStatus.Succeeded, second.Status);
        Assert.Equal("hello second", second.Output!.Value.GetProperty("greeting").GetString());
        Assert.Contains(second.Events, e => e.Type == "StateExited" && e.StateName == "Greet");
        Assert.NotEmpty(stamps);
    }

    [Fact]
    public async Task An_invalid_definition_is_rejected_on_every_run_never_remembered_as_valid()
    {
        var runner = Runner(Definition(next: "NoSuchState"));

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync("{}"));
            Assert.Contains("exited with code 2", error.Message, StringComparison.Ordinal);
            Assert.Contains("NoSuchState", error.Message, StringComparison.Ordinal);
        }
    }

    private StateMachineRunner Runner(string definition)
    {
        var path = Path.Combine(folder.FullName, "definition.asl.json");
        File.WriteAllText(path, definition);
        return new StateMachineRunner(new StateMachineRunnerOptions
        {
            RepositoryRoot = RepositoryPaths.Root,
            LambdaEndpoint = new Uri("http://127.0.0.1:1"),
            DefinitionPath = path,
        });
    }

    private static string Definition(string next) => $$"""
        {
          "Comment": "{{Guid.NewGuid():N}}",
          "StartAt": "Greet",
          "States": {
            "Greet": { "Type": "Pass", "Parameters": { "greeting.$": "States.Format('hello {}', $.name)" }, "Next": "{{next}}" },
            "Done": { "Type": "Succeed" }
          }
        }
        """;

    private static IEnumerable<string> ValidationStamps()
    {
        var directory = Path.Combine(new LocalStepFunctionsToolchain(RepositoryPaths.Root).Directory, "node_modules", ".bakery-validated");
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory) : [];
    }
}
