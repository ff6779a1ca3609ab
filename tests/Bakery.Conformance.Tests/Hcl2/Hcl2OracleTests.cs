using System.Text;
using Bakery.BuildFiles;
using Bakery.Conformance.Tests.Oracle;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Conformance.Tests.Hcl2;

/// <summary>
/// Issue 16's oracle: every HCL2 template of corpus-hcl2 gets the same verdict from <c>packer validate</c> (Debian's
/// 1.6.6) and Bakery, and every <c># console:</c> expression in it renders as <c>packer console</c> renders it (one console
/// session per template answers all its expressions). A file marked <c># oracle: newer REASON</c> uses a feature later
/// than 1.6.6: Packer 1.6.6 must refuse it and Bakery accept it as Packer's current docs describe (the reason names the
/// page).
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
[Collection(WorkingFolderCollection.Name)]
public sealed class Hcl2OracleTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "corpus-hcl2");
    private static readonly Dictionary<string, string> NoEnvironment = new(StringComparer.Ordinal);

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Templates().Select(Path.GetFileName))
        {
            data.Add(file!);
        }

        return data;
    }

    /// <summary>The templates with <c># console:</c> expressions: one <c>packer console</c> session each answers them all.</summary>
    public static TheoryData<string> FilesWithConsoleExpressions()
    {
        var data = new TheoryData<string>();
        foreach (var file in Templates().Where(file => ConsoleExpressions(file).Count > 0))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Bakery_gives_packers_verdict_on_every_hcl2_template(string file)
    {
        var packer = await PackerCli.RunAsync(Folder, NoEnvironment, ["validate", file]);
        var bakery = Load(file);
        output.WriteLine($"{packer}\nbakery: {(bakery.IsValid ? "valid" : string.Join("\n", bakery.Errors))}");
        var header = Notes(Path.Combine(Folder, file)).First();
        if (header.StartsWith("# oracle: newer ", StringComparison.Ordinal))
        {
            Assert.True(packer.ExitCode != 0, $"{file} is marked newer than Packer 1.6.6, but 1.6.6 accepts it");
            Assert.True(bakery.IsValid, string.Join("\n", bakery.Errors));
            return;
        }

        Assert.Equal("# oracle: same", header);
        Assert.True((packer.ExitCode == 0) == bakery.IsValid, $"Packer and Bakery disagree on {file}:\n{packer}\n{string.Join("\n", bakery.Errors)}");
    }

    [Theory]
    [MemberData(nameof(FilesWithConsoleExpressions))]
    public async Task Expressions_render_as_packer_console_renders_them(string file)
    {
        var expressions = ConsoleExpressions(Path.Combine(Folder, file));
        var (answers, packer) = await PackerConsoleSession.EvaluateAsync(Folder, file, expressions);
        output.WriteLine(packer.ToString());
        var differences = ConsoleComparison.Differences(
            expressions, answers, expression => InCorpusFolder(() => Hcl2Console.Evaluate(Input(file), expression, DateTimeOffset.UtcNow)));
        Assert.True(differences.Count == 0, $"{differences.Count} of {expressions.Count} expressions of {file} render differently (or Packer refuses them):\n{string.Join('\n', differences)}");
    }

    [Fact]
    public void The_corpus_has_at_least_25_templates_and_50_console_expressions()
    {
        Assert.True(Files().Count >= 25, $"{Files().Count} templates");
        var expressions = Templates().Sum(file => ConsoleExpressions(file).Count);
        Assert.True(expressions >= 50, $"{expressions} expressions");
    }

    /// <summary>The expressions of a template's <c># console:</c> notes, in order.</summary>
    internal static List<string> ConsoleExpressions(string path) =>
        [.. Notes(path).Where(l => l.StartsWith("# console: ", StringComparison.Ordinal)).Select(l => l["# console: ".Length..])];

    private static IEnumerable<string> Templates() =>
        Directory.GetFiles(Folder, "*.pkr.hcl").Concat(Directory.GetFiles(Folder, "*.pkr.json")).Order(StringComparer.Ordinal);

    /// <summary>
    /// The <c># oracle:</c> / <c># console:</c> lines of a template; a <c>.pkr.json</c> file, which has no comments, writes
    /// them as HCL's JSON comments, <c>"//": "oracle: same"</c>, one per line.
    /// </summary>
    private static IEnumerable<string> Notes(string path) => path.EndsWith(".json", StringComparison.Ordinal)
        ? File.ReadLines(path)
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, "^\\s*\"//\": (\"(?:[^\"\\\\]|\\\\.)*\")"))
            .Where(m => m.Success)
            .Select(m => "# " + System.Text.Json.JsonSerializer.Deserialize<string>(m.Groups[1].Value))
        : File.ReadLines(path);

    private static BuildFileInput Input(string file) => new()
    {
        Path = file,
        Content = Encoding.UTF8.GetBytes(File.ReadAllText(Path.Combine(Folder, file))),
        Files = new LocalBundleFiles(),
        Pwd = Folder,
    };

    private static BuildFileResult Load(string file) => InCorpusFolder(() => new BuildFileLoader(TimeProvider.System).Load(Input(file)));

    private static T InCorpusFolder<T>(Func<T> run)
    {
        var current = Environment.CurrentDirectory;
        try
        {
            // Paths in the templates (and the template's own folder, which fileset starts from) are relative to the
            // corpus folder, as for packer run there.
            Environment.CurrentDirectory = Folder;
            return run();
        }
        finally
        {
            Environment.CurrentDirectory = current;
        }
    }
}
