using System.Diagnostics;
using Bakery.Cli.Commands;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// Runs the <c>bakery</c> CLI as a user does, one process per command, against a stand-in of its own: a private
/// <c>BAKERY_LOCAL_STATE</c> (never the user's), local instances off (the stand-in's lifecycle is under test, not
/// scripts: two seed bakes would be two apt installs), and none of the caller's AWS, stack or fault settings.
/// </summary>
internal sealed class StandInCli(string folderPrefix) : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(20);

    /// <summary>The test's own folder: the stand-in's state file and instances live here; <c>local down</c> cleans it.</summary>
    public string Folder { get; } = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    public string StatePath => Path.Combine(Folder, "state.json");

    /// <summary>Runs <c>bakery ARGUMENTS</c> where the README runs the seed (cd examples/nginx): relative paths in a build file start from there, as in Packer.</summary>
    public async Task<CliRun> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Combine("examples", "nginx"),
        };
        start.ArgumentList.Add(typeof(LocalCommand).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in new[] { "AWS_ENDPOINT_URL", "BAKERY_STACK", "AWS_PROFILE", "BAKERY_LOCAL_FAULTS" })
        {
            start.Environment.Remove(name);
        }

        start.Environment["BAKERY_LOCAL_STATE"] = StatePath;
        start.Environment["BAKERY_LOCAL_INSTANCES_MODE"] = "off";
        start.Environment["BAKERY_LOCAL_INSTANCES"] = Path.Combine(Folder, "instances");
        start.Environment["BAKERY_ROOT"] = RepositoryPaths.Root;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await process.WaitForExitAsync(timeout.Token);
        return new CliRun(process.ExitCode, await output, await error);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>One CLI command's exit code and output.</summary>
internal sealed record CliRun(int Exit, string Output, string Error)
{
    public string Text => $"exit {Exit}\n{Output}\n{Error}";
}
