using Bakery.Conformance.Tests.Builds;
using Bakery.Conformance.Tests.Corpus;
using Bakery.Conformance.Tests.Oracle;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Conformance.Tests.Verdicts;

/// <summary>
/// Issue 12, part 1: <c>bakery validate</c> and <c>packer validate</c> give the same verdict (and exit code) on every
/// case of the corpus, with the same arguments, working folder and environment. Where Packer accepts and Bakery
/// refuses, the case names a row of the documented table and Bakery's error says what the row says; Bakery never
/// accepts what Packer refuses, except options newer than the reference Packer (documented too). Bakery's command runs in
/// this process (in the case's working folder: <see cref="WorkingFolderCollection"/>);
/// <see cref="The_bakery_process_gives_what_its_command_gives_in_process"/> checks that the CLI's process says the same.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
[Collection(WorkingFolderCollection.Name)]
public sealed class VerdictTests(ITestOutputHelper output)
{
    public static TheoryData<string> AllCases => ConformanceCorpus.Names(_ => true);

    [Theory]
    [MemberData(nameof(AllCases))]
    public async Task Bakery_validate_gives_packers_verdict(string name)
    {
        var @case = ConformanceCorpus.Get(name);
        var folder = Path.GetFullPath(Path.Combine(ConformanceCorpus.Folder, @case.WorkingFolder));
        var packer = await PackerCli.RunAsync(folder, ConformanceCorpus.Environment, BakeryCli.CaseArguments(@case, "validate"));
        var bakery = BakeryCli.RunInProcess(folder, BakeryCli.CaseArguments(@case, "validate"));
        output.WriteLine($"{@case.Pattern}\n{packer}\n{bakery}");

        Assert.True(packer.ExitCode == (@case.PackerRejects || @case.Newer.Count > 0 ? 1 : 0), $"the corpus expects Packer to {(@case.PackerRejects ? "refuse" : "accept")} {name}:\n{packer}");
        if (@case.Refusal is { } id)
        {
            Assert.True(IntentionalRefusals.All.TryGetValue(id, out var refusal), $"docs/build-files.md has no intentional refusal '{id}'");
            Assert.True(bakery.ExitCode == 1, $"Packer accepts {name}; the refusal '{id}' says Bakery refuses it:\n{bakery}");
            Assert.Contains(refusal.ErrorFragment, bakery.Stdout, StringComparison.Ordinal);
        }
        else if (@case.Newer.Count > 0)
        {
            foreach (var key in @case.Newer)
            {
                Assert.Contains($"unknown configuration key: '\"{key}\"'", packer.Output, StringComparison.Ordinal);
            }

            Assert.True(bakery.ExitCode == 0, $"Bakery supports {string.Join(", ", @case.Newer)} as today's amazon-ebs plugin does:\n{bakery}");
        }
        else
        {
            Assert.True(packer.ExitCode == bakery.ExitCode, $"Packer and Bakery disagree on {name}:\n{packer}\n{bakery}");
        }

        if (bakery.ExitCode == 0)
        {
            Assert.Contains("The configuration is valid.", bakery.Stdout, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The cases above run Bakery's commands in this process; the CLI's own process (its entry point, the environment and
    /// working folder it inherits) gives the same exit code and output, on a case that reads var files and the
    /// environment and on one Bakery refuses.
    /// </summary>
    [Theory]
    [InlineData("eks_worker", "validate")]
    [InlineData("eks_worker", "inspect")]
    [InlineData("cluster_api_ansible_local", "validate")]
    public async Task The_bakery_process_gives_what_its_command_gives_in_process(string name, string command)
    {
        var @case = ConformanceCorpus.Get(name);
        var folder = Path.GetFullPath(Path.Combine(ConformanceCorpus.Folder, @case.WorkingFolder));
        string[] arguments = command == "inspect" ? ["inspect", "-machine-readable", @case.File] : BakeryCli.CaseArguments(@case, command);
        var process = await BakeryCli.RunAsync(folder, ConformanceCorpus.Environment, arguments);
        var inProcess = BakeryCli.RunInProcess(folder, arguments);
        output.WriteLine($"{process}\n{inProcess}");

        Assert.Equal(process.ExitCode, inProcess.ExitCode);
        // -machine-readable lines start with the Unix time: the two runs are seconds apart.
        Assert.Equal(UserVisibleOutput.WithoutTimes(inProcess.Stdout.TrimEnd()), UserVisibleOutput.WithoutTimes(process.Stdout.TrimEnd()));
        Assert.Equal(inProcess.Stderr.TrimEnd(), process.Stderr.TrimEnd());
    }

    [Fact]
    public void The_corpus_has_at_least_30_build_files_each_used_by_a_case()
    {
        var files = Directory.GetFiles(ConformanceCorpus.Folder, "*.json").Select(f => Path.GetFileName(f)).Where(f => f != "cases.json").ToList();
        Assert.True(files.Count >= 30, $"{files.Count} build files");
        var used = ConformanceCorpus.Cases.Select(c => Path.GetFileName(c.File)).ToHashSet(StringComparer.Ordinal);
        Assert.All(files, file => Assert.Contains(file, used));
        Assert.All(ConformanceCorpus.Cases, c => Assert.False(string.IsNullOrWhiteSpace(c.Pattern), c.Name));
    }

    [Fact]
    public void Every_documented_refusal_is_a_case_of_the_corpus_and_every_case_names_a_documented_one()
    {
        var used = ConformanceCorpus.Cases.Select(c => c.Refusal).OfType<string>().ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(IntentionalRefusals.All);
        Assert.All(IntentionalRefusals.All.Values, row =>
        {
            Assert.Contains(row.Id, used);
            Assert.False(string.IsNullOrWhiteSpace(row.Reason), row.Id);
            Assert.False(string.IsNullOrWhiteSpace(row.ErrorFragment), row.Id);
        });
        Assert.All(used, id => Assert.True(IntentionalRefusals.All.ContainsKey(id), id));
    }
}
