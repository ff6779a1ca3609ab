using Bakery.Testing;
using Bakery.Testing.Cli;

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
    public async Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["AWS_ENDPOINT_URL"] = null,
            ["BAKERY_STACK"] = null,
            ["AWS_PROFILE"] = null,
            ["BAKERY_LOCAL_FAULTS"] = null,
            ["BAKERY_LOCAL_STATE"] = StatePath,
            ["BAKERY_LOCAL_INSTANCES_MODE"] = "off",
            ["BAKERY_LOCAL_INSTANCES"] = Path.Combine(Folder, "instances"),
            ["BAKERY_ROOT"] = RepositoryPaths.Root,
        };
        foreach (var (name, value) in environment)
        {
            settings[name] = value;
        }

        using var cli = BakeryCliProcess.Start(RepositoryPaths.Combine("examples", "nginx"), settings, arguments);
        return await cli.WaitForExitAsync(CommandTimeout);
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
