using Bakery.Conformance.Tests.Corpus;
using Bakery.Testing.Cli;

namespace Bakery.Conformance.Tests.Oracle;

/// <summary>The built <c>bakery</c> CLI, run the way the end-to-end tests run it (its own process, no colors).</summary>
public static class BakeryCli
{
    public static async Task<ToolResult> RunAsync(string workingFolder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments)
    {
        using var cli = BakeryCliProcess.Start(workingFolder, environment.ToDictionary(pair => pair.Key, string? (pair) => pair.Value), [.. arguments]);
        var result = await cli.WaitForExitAsync();
        return new ToolResult("bakery", result.ExitCode, result.Stdout, result.Stderr);
    }

    /// <summary><c>COMMAND [case args] FILE</c> for a case, as both tools take it.</summary>
    public static string[] CaseArguments(ConformanceCase @case, params string[] command) => [.. command, .. @case.Args, @case.File];
}
