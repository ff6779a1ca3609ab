using System.Text.RegularExpressions;
using Bakery.Conformance.Tests.Corpus;
using Bakery.Conformance.Tests.Oracle;
using Bakery.Testing;
using Bakery.Testing.Moto;
using Xunit.Abstractions;

namespace Bakery.Conformance.Tests.Builds;

/// <summary>
/// Issue 12, parts 3 and 4: each buildable case is baked by <c>packer build</c> (straight against moto) and by
/// <c>bakery build</c> (the CLI in local mode: the real state machine, the AOT bootstrap and the stand-in's proxy in
/// front of the same kind of moto), moto cleared before each; then what each created and left behind, the manifests
/// they wrote, their <c>-machine-readable</c> artifact lines, the "AMIs were created" block and the exit codes must be
/// the same.
/// </summary>
[Collection(MotoCollection.Name)]
[Trait(TestCategory.Name, TestCategory.Integration)]
public sealed partial class AmiComparisonTests(MotoFixture moto, ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("bakery-conformance-").FullName;

    public static TheoryData<string> BuildCases => ConformanceCorpus.Names(c => c.Build);

    public async Task InitializeAsync()
    {
        CopyFolder(ConformanceCorpus.Folder, Path.Combine(_root, "corpus"));
        // Published once per worktree and shared with the CLI, which would otherwise publish it itself.
        await PublishedBootstrap.GetPathAsync();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_root, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(BuildCases))]
    public async Task Packer_and_bakery_bake_the_same_ami(string name)
    {
        var @case = ConformanceCorpus.Get(name);
        var folder = Path.GetFullPath(Path.Combine(_root, "corpus", @case.WorkingFolder));

        var packerFile = BuildFileVariants.WriteForPacker(folder, @case.File, moto.Endpoint);
        var packer = await BuildAsync(folder, () => PackerCli.RunAsync(folder, ConformanceCorpus.Environment, ["build", "-machine-readable", .. @case.Args, packerFile]));
        var bakeryFile = BuildFileVariants.WriteForBakery(folder, @case.File);
        var bakery = await BuildAsync(folder, () => BakeryCli.RunAsync(folder, ConformanceCorpus.Environment, ["build", "-machine-readable", .. @case.Args, bakeryFile]));
        output.WriteLine($"{@case.Pattern}\n{packer.Result}\n{packer.Inventory.Images}\n{bakery.Result}\n{bakery.Inventory.Images}");

        Assert.True(packer.Result.ExitCode == bakery.Result.ExitCode, $"exit codes differ: packer {packer.Result.ExitCode}, bakery {bakery.Result.ExitCode}");
        if (packer.Result.ExitCode == 0)
        {
            Assert.NotEmpty(packer.Inventory.ImageNames);
        }

        // Packer 1.6.6 sets ami_description with ModifyImageAttribute after CreateImage, which moto 5.2.1 accepts and
        // ignores; RenderingTests compares Bakery's description with Packer's rendering instead.
        var packerSetDescription = packer.Result.Stdout.Contains(": Modifying: description", StringComparison.Ordinal);
        var packerImages = packer.Inventory.Images;
        if (@case.TemplateDirInBucket is not null)
        {
            // Documented difference (docs/build-files.md): on AWS the build file's folder is the bucket's "/", not this one.
            Assert.Contains(docsDifferences.Value, row => row.Contains(@case.TemplateDirInBucket, StringComparison.Ordinal));
            packerImages = packerImages.Replace(folder, "/", StringComparison.Ordinal);
        }

        Assert.Equal(Comparable(packerImages, packerSetDescription), Comparable(bakery.Inventory.Images, packerSetDescription));
        Assert.Equal(packer.Inventory.Leftovers, bakery.Inventory.Leftovers);
        Assert.Equal(packer.Manifests.Keys.Order(StringComparer.Ordinal), bakery.Manifests.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, text) in packer.Manifests)
        {
            Assert.Equal(
                UserVisibleOutput.Manifest(text, packer.Inventory.ImageNames),
                UserVisibleOutput.Manifest(bakery.Manifests[path], bakery.Inventory.ImageNames));
        }

        Assert.Equal(
            UserVisibleOutput.ArtifactLines(packer.Result.Stdout, packer.Inventory.ImageNames),
            UserVisibleOutput.ArtifactLines(bakery.Result.Stdout, bakery.Inventory.ImageNames));
    }

    private static readonly Lazy<string[]> docsDifferences = new(() =>
        File.ReadAllLines(RepositoryPaths.Combine("docs", "build-files.md")).Where(line => line.StartsWith('|')).ToArray());

    private static string Comparable(string images, bool withoutDescriptions) =>
        UserVisibleOutput.WithoutTimes(withoutDescriptions ? DescriptionLine().Replace(images, "  description: (set through ModifyImageAttribute, which moto ignores)") : images);

    [GeneratedRegex("^  description: .*$", RegexOptions.Multiline)]
    private static partial Regex DescriptionLine();

    /// <summary>Runs one tool's build on a cleared moto and collects what it made: moto's inventory and new files (manifests).</summary>
    private async Task<BuildRun> BuildAsync(string folder, Func<Task<ToolResult>> build)
    {
        await moto.ResetAsync();
        var before = Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal);
        var result = await build();
        var inventory = await MotoInventory.TakeAsync(moto.Endpoint);
        var manifests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !before.Contains(f)))
        {
            manifests[Path.GetRelativePath(folder, file)] = await File.ReadAllTextAsync(file);
            File.Delete(file);
        }

        return new BuildRun(result, inventory, manifests);
    }

    private static void CopyFolder(string source, string destination)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(destination, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(destination, Path.GetRelativePath(source, file)));
        }
    }
}
