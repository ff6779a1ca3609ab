using System.CommandLine;
using Bakery.Cli.Commands;
using Bakery.Conformance.Tests.Corpus;
using Bakery.Testing.Cli;

namespace Bakery.Conformance.Tests.Oracle;

/// <summary>The built <c>bakery</c> CLI: as its own process (as a user runs it, no colors), or its commands in this process.</summary>
public static class BakeryCli
{
    public static async Task<ToolResult> RunAsync(string workingFolder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        using var cli = BakeryCliProcess.Start(workingFolder, environment.ToDictionary(pair => pair.Key, string? (pair) => pair.Value), [.. arguments]);
        var result = await cli.WaitForExitAsync();
        return new ToolResult("bakery", result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary>
    /// <c>bakery validate|inspect ARGS</c> in this process: the CLI's own commands, parsed and invoked as its entry point
    /// does, with the corpus' environment (<see cref="ConformanceCorpus.EnvironmentVariable"/>) and, as a shell would give
    /// it, the process's working folder set to <paramref name="workingFolder"/> (so callers run in <see cref="WorkingFolderCollection"/>).
    /// </summary>
    public static ToolResult RunInProcess(string workingFolder, IEnumerable<string> arguments)
    {
        var root = new RootCommand("bakery");
        root.Subcommands.Add(ValidateCommand.Create(environment: ConformanceCorpus.EnvironmentVariable));
        root.Subcommands.Add(InspectCommand.Create(ConformanceCorpus.EnvironmentVariable));
        using var output = new StringWriter();
        using var error = new StringWriter();
        var previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = workingFolder;
        try
        {
            var code = root.Parse([.. arguments]).Invoke(new InvocationConfiguration { Output = output, Error = error });
            return new ToolResult("bakery", code, output.ToString(), error.ToString());
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }

    /// <summary><c>COMMAND [case args] FILE</c> for a case, as both tools take it.</summary>
    public static string[] CaseArguments(ConformanceCase @case, params string[] command) => [.. command, .. @case.Args, @case.File];
}
