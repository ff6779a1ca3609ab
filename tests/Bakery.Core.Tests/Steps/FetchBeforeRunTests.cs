using Bakery.BuildFiles.Model;
using Bakery.Core.Steps.Internal;
using Bakery.Testing;
using CliWrap;
using CliWrap.Buffered;

namespace Bakery.Core.Tests.Steps;

/// <summary>
/// A presigned URL dies with the credentials that signed it, so every script a command needs is fetched when the
/// command starts, not after the scripts before it ran. Run under a real /bin/sh: the first script makes the second
/// one's URL stop working (as an expired URL does); the second must still run. The instance's <c>curl</c> is a stand-in
/// on PATH that serves <c>file://</c> URLs (a download tool is the instance's, not ours).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class FetchBeforeRunTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("bakery-fetch-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(null)]
    [InlineData("same-for-all.sh")]
    public async Task Every_script_is_fetched_before_the_first_one_runs(string? remoteFile)
    {
        var served = Path.Combine(folder, "served");
        Directory.CreateDirectory(served);
        var log = Path.Combine(folder, "ran.log");
        await File.WriteAllTextAsync(Path.Combine(served, "one.sh"), $"#!/bin/sh\necho one >> {log}\nrm -f {served}/two.sh\n");
        await File.WriteAllTextAsync(Path.Combine(served, "two.sh"), $"#!/bin/sh\necho two >> {log}\n");
        var provisioner = new ShellProvisioner { RemoteFolder = Path.Combine(folder, "remote"), RemoteFile = remoteFile };

        var commands = ShellCommands.Build(
            provisioner, "amazon-ebs", "amazon-ebs",
            [ScriptPayload.FromUrl($"file://{served}/one.sh"), ScriptPayload.FromUrl($"file://{served}/two.sh")], seed: 7);
        var (exitCode, output) = await RunShAsync(string.Join('\n', commands));

        Assert.True(exitCode == 0, output);
        Assert.Equal(["one", "two"], await File.ReadAllLinesAsync(log));
        Assert.Empty(Directory.GetFiles(Path.Combine(folder, "remote")));
    }

    private async Task<(int ExitCode, string Output)> RunShAsync(string commands)
    {
        var bin = Path.Combine(folder, "bin");
        Directory.CreateDirectory(bin);
        var curl = Path.Combine(bin, "curl");
        // curl -fsSL --retry 5 -o OUT URL: fails like curl -f when the file is gone.
        await File.WriteAllTextAsync(curl, "#!/bin/sh\nwhile [ $# -gt 1 ]; do [ \"$1\" = -o ] && out=$2; shift; done\ncp \"${1#file://}\" \"$out\"\n");
        if (!OperatingSystem.IsWindows()) // the test runs /bin/sh: Linux only in practice
        {
            File.SetUnixFileMode(curl, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }

        var file = Path.Combine(folder, "command.sh");
        await File.WriteAllTextAsync(file, commands);
        var result = await CliWrap.Cli.Wrap("/bin/sh")
            .WithArguments([file])
            .WithWorkingDirectory(folder)
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["PATH"] = $"{bin}:/usr/bin:/bin" })
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        return (result.ExitCode, result.StandardOutput + result.StandardError);
    }
}
