namespace Bakery.Conformance.Tests.Oracle;

/// <summary>How one run of a command-line tool ended.</summary>
public sealed record ToolResult(string Tool, int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public override string ToString() => $"{Tool}: exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
