namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>How a run of the <c>bakery</c> CLI ended.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
