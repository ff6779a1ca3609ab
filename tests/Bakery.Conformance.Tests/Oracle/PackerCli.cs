using System.Diagnostics;

namespace Bakery.Conformance.Tests.Oracle;

/// <summary>
/// Real Packer (Debian's <c>packer</c> 1.6.6, installed by infra/local/prerequisites.sh): the reference every Bakery
/// verdict, rendering and AMI is compared with.
/// </summary>
public static class PackerCli
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs <c>packer ARGS</c> in <paramref name="workingFolder"/> with the test process's environment plus <paramref name="environment"/>.</summary>
    public static async Task<ToolResult> RunAsync(
        string workingFolder, IReadOnlyDictionary<string, string> environment, IEnumerable<string> arguments, string? stdin = null)
    {
        var start = new ProcessStartInfo("packer")
        {
            WorkingDirectory = workingFolder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        // No checkpoint calls home, no plugin discovery in the user's folders: the same Packer on every machine.
        start.Environment["CHECKPOINT_DISABLE"] = "1";
        start.Environment["PACKER_CONFIG_DIR"] = Path.Combine(Path.GetTempPath(), "bakery-conformance-packer");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start packer");
        using var timeout = new CancellationTokenSource(RunTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"packer {string.Join(' ', start.ArgumentList)} did not finish within {RunTimeout}");
        }

        return new ToolResult("packer", process.ExitCode, await stdout, await stderr);
    }
}
