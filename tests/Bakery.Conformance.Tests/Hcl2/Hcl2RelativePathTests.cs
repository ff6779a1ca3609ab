using System.Text;
using Bakery.BuildFiles;
using Bakery.Conformance.Tests.Oracle;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Conformance.Tests.Hcl2;

/// <summary>
/// Relative paths in <c>file</c>, <c>fileexists</c> and <c>fileset</c> start at the template's folder, <c>abspath</c> at the
/// folder Packer runs in: corpus-hcl2/relative_file_functions.pkr.hcl run from another folder
/// (relative-paths/elsewhere, which holds decoys under the same relative names) by <c>packer</c> 1.6.6 and by Bakery,
/// as <c>cd relative-paths/elsewhere &amp;&amp; packer console ../../relative_file_functions.pkr.hcl</c>.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
[Collection(WorkingFolderCollection.Name)]
public sealed class Hcl2RelativePathTests(ITestOutputHelper output)
{
    private const string Template = "relative_file_functions.pkr.hcl";
    private const string FromElsewhere = "../../" + Template;
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "corpus-hcl2");
    private static readonly string Elsewhere = Path.Combine(Corpus, "relative-paths", "elsewhere");
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    [Fact]
    public async Task A_template_run_from_another_folder_gets_packers_verdict()
    {
        var packer = await PackerCli.RunAsync(Elsewhere, NoEnvironment, ["validate", FromElsewhere]);
        var bakery = InElsewhere(() => new BuildFileLoader(TimeProvider.System).Load(Input()));
        output.WriteLine($"{packer}\nbakery: {(bakery.IsValid ? "valid" : string.Join("\n", bakery.Errors))}");
        Assert.Equal(0, packer.ExitCode);
        Assert.True(bakery.IsValid, string.Join("\n", bakery.Errors));
    }

    [Fact]
    public async Task File_functions_render_as_packer_console_renders_them_from_another_folder()
    {
        var expressions = Hcl2OracleTests.ConsoleExpressions(Path.Combine(Corpus, Template));
        Assert.NotEmpty(expressions);
        var (answers, packer) = await PackerConsoleSession.EvaluateAsync(Elsewhere, FromElsewhere, expressions);
        output.WriteLine(packer.ToString());
        var differences = ConsoleComparison.Differences(
            expressions, answers, expression => InElsewhere(() => Hcl2Console.Evaluate(Input(), expression, DateTimeOffset.UtcNow)));
        Assert.True(differences.Count == 0, $"{differences.Count} of {expressions.Count} expressions render differently (or Packer refuses them):\n{string.Join('\n', differences)}");
    }

    [Fact]
    public void The_working_folder_holds_decoys_that_would_show_the_difference()
    {
        Assert.NotEqual(
            File.ReadAllText(Path.Combine(Corpus, "relative-paths", "motd.txt")),
            File.ReadAllText(Path.Combine(Elsewhere, "relative-paths", "motd.txt")));
        Assert.True(File.Exists(Path.Combine(Elsewhere, "only-in-cwd.txt")));
        Assert.False(File.Exists(Path.Combine(Elsewhere, "relative-paths", "only-beside.txt")));
    }

    private static BuildFileInput Input() => new()
    {
        Path = FromElsewhere,
        Content = Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(Corpus, Template))),
        Files = new LocalBundleFiles(),
        Pwd = Elsewhere,
    };

    private static T InElsewhere<T>(Func<T> run)
    {
        var current = Environment.CurrentDirectory;
        try
        {
            // As the CLI runs: the template named relative to the folder bakery runs in.
            Environment.CurrentDirectory = Elsewhere;
            return run();
        }
        finally
        {
            Environment.CurrentDirectory = current;
        }
    }
}
