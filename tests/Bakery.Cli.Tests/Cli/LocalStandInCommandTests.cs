using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bakery.Cli.Commands;
using Bakery.Core.Exceptions;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Cli;

/// <summary>
/// <c>bakery local up</c>, a build through the stand-in's upload trigger with <c>--stack local</c>, <c>builds</c>,
/// <c>status</c> and <c>local down</c>, each run as a user runs it: a separate <c>bakery</c> process. The stand-in's
/// state file is this test's own (BAKERY_LOCAL_STATE), so other tests never see or reuse this stand-in.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class LocalStandInCommandTests : IDisposable
{
    private readonly StandInCli _cli = new("bakery-local-test-");

    private static readonly Dictionary<string, string> NoEnvironment = [];

    private string StatePath => _cli.StatePath;

    [Fact]
    public async Task Up_status_build_with_stack_local_builds_status_down_leaves_nothing_running()
    {
        try
        {
            var up = await _cli.RunAsync(NoEnvironment, "local", "up");
            Assert.True(up.ExitCode == 0, up.Text);
            var awsEndpoint = Assert.Single(ExportedEndpoint().Matches(up.Stdout)).Groups[1].Value;
            using var state = JsonDocument.Parse(File.ReadAllText(StatePath));
            var servePid = state.RootElement.GetProperty("processId").GetInt32();
            var motoPort = state.RootElement.GetProperty("motoPort").GetInt32();
            Assert.Equal(awsEndpoint, state.RootElement.GetProperty("awsEndpoint").GetString());

            var again = await _cli.RunAsync(NoEnvironment, "local", "up");
            Assert.True(again.ExitCode == 0, again.Text);
            Assert.Contains("already running", again.Stdout, StringComparison.Ordinal);
            Assert.Equal(servePid, JsonDocument.Parse(File.ReadAllText(StatePath)).RootElement.GetProperty("processId").GetInt32());

            var status = await _cli.RunAsync(NoEnvironment, "local", "status");
            Assert.True(status.ExitCode == 0, status.Text);
            Assert.Contains($"export AWS_ENDPOINT_URL={awsEndpoint}", status.Stdout, StringComparison.Ordinal);

            var aws = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL"] = awsEndpoint,
                ["AWS_ACCESS_KEY_ID"] = "testing",
                ["AWS_SECRET_ACCESS_KEY"] = "testing",
                ["AWS_REGION"] = "us-east-1",
            };
            var build = await _cli.RunAsync(aws, "build", "--stack", "local", "-color=false", "my_test_build.json");
            Assert.True(build.ExitCode == 0, build.Text);
            Assert.Contains("==> Builds finished. The artifacts of successful builds are:", build.Stdout, StringComparison.Ordinal);
            var ami = Assert.Single(AmiLine().Matches(build.Stdout)).Groups[1].Value;
            var buildId = Assert.Single(StartedBuild().Matches(build.Stdout)).Groups[1].Value;

            // Local mode uses the running stand-in, and its own upload does not trigger a second execution there.
            var local = await _cli.RunAsync(NoEnvironment, "build", "-color=false", "my_test_build.json");
            Assert.True(local.ExitCode == 0, local.Text);
            Assert.Contains($"Using the running local stand-in (AWS {awsEndpoint}", local.Stdout, StringComparison.Ordinal);

            var builds = await _cli.RunAsync(aws, "builds", "--stack", "local", "-n", "5");
            Assert.True(builds.ExitCode == 0, builds.Text);
            Assert.Matches($@"(?m)^{Regex.Escape(buildId)}\s+Succeeded\s+.*us-east-1:{ami}", builds.Stdout);
            Assert.Equal(3, builds.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

            // Without --stack, builds/status read the running stand-in's ledger.
            var shown = await _cli.RunAsync(NoEnvironment, "status", buildId);
            Assert.True(shown.ExitCode == 0, shown.Text);
            Assert.Contains("Status:     Succeeded", shown.Stdout, StringComparison.Ordinal);
            Assert.Contains($"us-east-1  {ami}", shown.Stdout, StringComparison.Ordinal);
            Assert.Contains("Trigger:    S3Upload", shown.Stdout, StringComparison.Ordinal);

            // A build the workflow fails (moto has no such source AMI) exits 1 with the step, error and cause, also in `status`.
            var failing = await _cli.RunAsync(aws, "build", "--stack", "local", "-color=false", Path.Combine(AppContext.BaseDirectory, "resources", "Cli", "stack-missing-ami.json"));
            Assert.True(failing.ExitCode == 1, failing.Text);
            Assert.Contains("==> Some builds didn't complete successfully and had errors:", failing.Stdout, StringComparison.Ordinal);
            Assert.Contains(nameof(SourceImageNotFound), failing.Stdout, StringComparison.Ordinal);
            var failedId = Assert.Single(StartedBuild().Matches(failing.Stdout)).Groups[1].Value;
            var failedStatus = await _cli.RunAsync(NoEnvironment, "status", failedId);
            Assert.True(failedStatus.ExitCode == 0, failedStatus.Text);
            Assert.Contains("Status:     Failed", failedStatus.Stdout, StringComparison.Ordinal);
            Assert.Contains("Error:      SourceImageNotFound", failedStatus.Stdout, StringComparison.Ordinal);
            Assert.Contains("bakery-no-such-image-*", failedStatus.Stdout, StringComparison.Ordinal);

            var down = await _cli.RunAsync(NoEnvironment, "local", "down");
            Assert.True(down.ExitCode == 0, down.Text);
            Assert.False(File.Exists(StatePath));
            Assert.False(IsAlive(servePid), $"local serve (pid {servePid}) still runs");
            Assert.Empty(ProcessesInGroup(servePid));
            Assert.Empty(ProcessesWithArgument($"-p {motoPort.ToString(CultureInfo.InvariantCulture)}"));

            var after = await _cli.RunAsync(NoEnvironment, "local", "status");
            Assert.Equal(1, after.ExitCode);
            Assert.Contains("not running", after.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            await _cli.RunAsync(NoEnvironment, "local", "down");
        }
    }

    public void Dispose() => _cli.Dispose();

    private static bool IsAlive(int pid) => LiveStats().Any(s => s.Pid == pid.ToString(CultureInfo.InvariantCulture));

    /// <summary>Live processes in process group <paramref name="group"/> (the serve process's session: its Lambda bootstraps and runners).</summary>
    private static List<string> ProcessesInGroup(int group) =>
        [.. LiveStats().Where(s => s.Fields.Length > 4 && s.Fields[4] == group.ToString(CultureInfo.InvariantCulture)).Select(s => s.Pid)];

    private static List<string> ProcessesWithArgument(string argument) =>
        [.. LiveStats().Where(s => CommandLine(s.Pid).Contains(argument + " ", StringComparison.Ordinal) || CommandLine(s.Pid).EndsWith(argument, StringComparison.Ordinal))
            .Where(s => CommandLine(s.Pid).Contains("moto", StringComparison.Ordinal)).Select(s => s.Pid)];

    private static IEnumerable<(string Pid, string[] Fields)> LiveStats()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            // pid (comm) state ppid pgrp ...: split after the command name, which may hold spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] != "Z")
            {
                yield return (pid, ["", "", .. fields]);
            }
        }
    }

    private static string CommandLine(string pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    [GeneratedRegex(@"export AWS_ENDPOINT_URL=(\S+)")]
    private static partial Regex ExportedEndpoint();

    [GeneratedRegex(@"(?m)^us-east-1: (ami-[0-9a-f]+)\s*$")]
    private static partial Regex AmiLine();

    [GeneratedRegex(@"==> Build (\S+) started on stack local")]
    private static partial Regex StartedBuild();
}
