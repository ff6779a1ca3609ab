using Bakery.Conformance.Tests.Corpus;
using Bakery.Conformance.Tests.Oracle;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Conformance.Tests.Output;

/// <summary>
/// Issue 12, part 4 (and item 11): <c>inspect -machine-readable</c> lists the same template variables — name, default as
/// written, required — as Packer's, which scripts such as the EKS Makefile parse. Packer prints them in map order, so
/// the rows are compared as sets. Bakery's command runs in this process, in the case's working folder
/// (<see cref="WorkingFolderCollection"/>; VerdictTests checks that the CLI's process prints the same).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
[Collection(WorkingFolderCollection.Name)]
public sealed class InspectTests(ITestOutputHelper output)
{
    public static TheoryData<string> ParsedCases => ConformanceCorpus.Names(c => !c.PackerRejects);

    [Theory]
    [MemberData(nameof(ParsedCases))]
    public async Task Inspect_machine_readable_lists_packers_template_variables(string name)
    {
        var @case = ConformanceCorpus.Get(name);
        var folder = Path.GetFullPath(Path.Combine(ConformanceCorpus.Folder, @case.WorkingFolder));
        var packer = await PackerCli.RunAsync(folder, ConformanceCorpus.Environment, ["inspect", "-machine-readable", @case.File]);
        var bakery = BakeryCli.RunInProcess(folder, ["inspect", "-machine-readable", @case.File]);
        output.WriteLine($"{packer}\n{bakery}");

        Assert.Equal(0, packer.ExitCode);
        Assert.True(bakery.ExitCode == 0, bakery.ToString());
        Assert.Equal(TemplateVariables(packer.Stdout), TemplateVariables(bakery.Stdout));
    }

    private static List<string> TemplateVariables(string stdout) =>
    [
        .. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', 2) is [_, var rest] ? rest : line)
            .Where(line => line.StartsWith(",template-variable,", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal),
    ];
}
