using System.Globalization;
using Bakery.Testing;

namespace Bakery.EndToEnd.Tests.Static;

/// <summary>
/// tests/tree-cpu, which measures each part of tests/run: a process the command detaches (as moto.sh detaches moto)
/// is still counted, and listed as detached, and the command's exit status comes through.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
public sealed class TreeCpuTests
{
    [Fact]
    public async Task A_detached_process_is_counted_and_listed_and_the_exit_status_is_the_commands()
    {
        var report = Path.Combine(Directory.CreateTempSubdirectory("bakery-tree-cpu-").FullName, "part.cpu");
        // setsid in a script's background job execs in place: the busy python is orphaned when bash exits with 3.
        const string Script = """setsid python3 -c 'sum(range(20_000_000))' </dev/null >/dev/null 2>&1 & exit 3""";

        var (exitCode, _, stderr) = await RealShells.RunAsync(
            RepositoryPaths.Combine("tests", "tree-cpu"), [report, "bash", "-c", Script], RepositoryPaths.Root);

        Assert.True(exitCode == 3, $"exit {exitCode}: {stderr}");
        var lines = await File.ReadAllLinesAsync(report);
        var totals = lines[0].Split(' ').Select(value => double.Parse(value, CultureInfo.InvariantCulture)).ToList();
        var orphan = Assert.Single(lines.Skip(1));
        Assert.Contains("python3", orphan, StringComparison.Ordinal);
        var orphanCpu = orphan.Split(' ')[1..3].Sum(value => double.Parse(value, CultureInfo.InvariantCulture));
        Assert.True(orphanCpu > 0, $"the detached python's CPU was not counted: {string.Join(" | ", lines)}");
        Assert.Equal(orphanCpu, totals[2], 1);
        Assert.True(totals[0] + totals[1] >= orphanCpu, $"the total leaves out the detached process: {string.Join(" | ", lines)}");
    }
}
