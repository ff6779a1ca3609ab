namespace Bakery.Testing.Cli;

/// <summary>How a run of the <c>bakery</c> CLI ended.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Everything a failed assertion should show, in one line-broken text.</summary>
    public string Text => $"exit {ExitCode}\n{Stdout}\n{Stderr}";

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
