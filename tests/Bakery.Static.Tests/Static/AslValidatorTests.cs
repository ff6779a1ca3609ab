using Bakery.Local.StepFunctions;
using Bakery.Testing;
using CliWrap;
using CliWrap.Buffered;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>The definition, with its placeholders filled as CloudFormation would, passes asl-validator (npm).</summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class AslValidatorTests
{
    [Fact]
    public async Task The_definition_with_substitutions_filled_passes_asl_validator()
    {
        await using var runner = new StateMachineRunner(new StateMachineRunnerOptions
        {
            RepositoryRoot = RepositoryPaths.Root,
            LambdaEndpoint = new Uri("http://127.0.0.1:1"),
        });
        var filled = runner.Substitutions().Aggregate(
            RepositoryFiles.DefinitionText, (text, s) => text.Replace($"${{{s.Key}}}", s.Value, StringComparison.Ordinal));
        var path = Path.Combine(Directory.CreateTempSubdirectory("bakery-asl-").FullName, "bake.asl.json");
        await File.WriteAllTextAsync(path, filled);

        var (exitCode, output) = await ValidateAsync(path);

        Assert.True(exitCode == 0, output);
    }

    [Fact]
    public async Task Asl_validator_rejects_a_definition_with_a_dangling_next()
    {
        var (exitCode, output) = await ValidateAsync(Path.Combine(AppContext.BaseDirectory, "resources", "Static", "next-state-missing.asl.json"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("NoSuchState", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> ValidateAsync(string path)
    {
        var toolchain = new LocalStepFunctionsToolchain(RepositoryPaths.Root);
        await toolchain.EnsureInstalledAsync();
        var result = await CliWrap.Cli.Wrap(toolchain.NodePath)
            .WithArguments([toolchain.AslValidatorScript, "--json-path", path])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
