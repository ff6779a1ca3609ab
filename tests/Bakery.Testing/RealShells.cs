using CliWrap;
using CliWrap.Buffered;

namespace Bakery.Testing;

/// <summary>
/// The real shells the generated commands are checked against: /bin/sh and bash from the machine, pwsh installed by
/// infra/local/pwsh.sh (the `PowerShell` .NET global tool, cached in ~/.cache/bakery/pwsh).
/// </summary>
public static class RealShells
{
    private static readonly Lazy<Task<string>> PwshPath = new(FindPwshAsync);

    /// <summary>The pwsh executable; installs it (idempotently, through the same script CI runs) when it is missing.</summary>
    public static Task<string> PwshAsync() => PwshPath.Value;

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; returns exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string file, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var result = await CliWrap.Cli.Wrap(file)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables((environment ?? new Dictionary<string, string>()).ToDictionary(pair => pair.Key, string? (pair) => pair.Value))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(System.Text.Encoding.UTF8);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>Runs a PowerShell script file the way AWS-RunPowerShellScript runs its commands: a file, no profile.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunPwshFileAsync(string script, string workingDirectory) =>
        await RunAsync(await PwshAsync(), ["-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", script], workingDirectory,
            new Dictionary<string, string> { ["NO_COLOR"] = "1", ["POWERSHELL_TELEMETRY_OPTOUT"] = "1", ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });

    private static async Task<string> FindPwshAsync()
    {
        var (exitCode, stdout, stderr) = await RunAsync(RepositoryPaths.Combine("infra", "local", "pwsh.sh"), ["path"], RepositoryPaths.Root);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"infra/local/pwsh.sh could not install pwsh (exit {exitCode}): {stderr}");
        }

        return stdout.Trim();
    }
}
