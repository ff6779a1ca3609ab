namespace Bakery.Core.Exceptions;

/// <summary>
/// A provisioner's command ended with an exit code outside valid_exit_codes (or did not run at all). Carries the exit
/// code and the tail of its output so the workflow's cause is enough to see what went wrong.
/// </summary>
public sealed class ProvisionerFailed : BakeryException
{
    public ProvisionerFailed(string message, int? exitCode, string? outputTail, string? errorTail)
        : base(Describe(message, exitCode, outputTail, errorTail))
    {
        ExitCode = exitCode;
        OutputTail = outputTail;
        ErrorTail = errorTail;
    }

    public ProvisionerFailed(string message)
        : this(message, null, null, null)
    {
    }

    /// <summary>The command's exit code; null when it never produced one (cancelled, timed out, undeliverable).</summary>
    public int? ExitCode { get; }

    /// <summary>The last few KB of standard output.</summary>
    public string? OutputTail { get; }

    /// <summary>The last few KB of standard error.</summary>
    public string? ErrorTail { get; }

    // The workflow only sees the message (as Cause), so the output tail has to be in it.
    private static string Describe(string message, int? exitCode, string? outputTail, string? errorTail)
    {
        var text = new System.Text.StringBuilder(message);
        if (exitCode is { } code)
        {
            text.Append(" (exit code ").Append(code).Append(')');
        }

        if (!string.IsNullOrEmpty(errorTail))
        {
            text.Append("\n--- stderr (tail) ---\n").Append(errorTail);
        }

        if (!string.IsNullOrEmpty(outputTail))
        {
            text.Append("\n--- stdout (tail) ---\n").Append(outputTail);
        }

        return text.ToString();
    }
}
