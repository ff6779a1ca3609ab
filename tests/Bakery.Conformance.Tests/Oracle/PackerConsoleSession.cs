namespace Bakery.Conformance.Tests.Oracle;

/// <summary>
/// One <c>packer console TEMPLATE</c> session answering several HCL2 expressions, as a user types them one after
/// another: the expressions are the lines of its input file (<see cref="PackerCli.RunWithInputFileAsync"/>; from a pipe
/// Packer 1.6.6 prints only the last line's value), each followed by a separator expression whose value no expression of
/// the corpus prints, and each answer is read between two separators.
/// </summary>
public static class PackerConsoleSession
{
    private const string Separator = "<~conformance~>";
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    /// <summary>
    /// What Packer printed for each expression, without its line end (a value, or the error Packer's console prints in
    /// its place), and the run itself.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Answers, ToolResult Run)> EvaluateAsync(
        string workingFolder, string template, IReadOnlyList<string> expressions)
    {
        var input = Path.GetTempFileName();
        try
        {
            await File.WriteAllLinesAsync(input, expressions.SelectMany(expression => new[] { expression, $"\"{Separator}\"" }));
            var run = await PackerCli.RunWithInputFileAsync(workingFolder, NoEnvironment, ["console", template], input);
            var parts = run.Stdout.Split(Separator + "\n");
            if (run.ExitCode != 0 || run.Stderr.Length != 0 || parts.Length != expressions.Count + 1 || parts[^1].Length != 0)
            {
                throw new InvalidOperationException($"packer console did not answer the {expressions.Count} expressions of {template} one by one:\n{run}");
            }

            return ([.. parts[..^1].Select(part => part.EndsWith('\n') ? part[..^1] : part)], run);
        }
        finally
        {
            File.Delete(input);
        }
    }

    /// <summary>Whether an answer is the error Packer's console prints for an expression it cannot evaluate.</summary>
    public static bool IsError(string answer) => answer.StartsWith("Error: ", StringComparison.Ordinal);
}
