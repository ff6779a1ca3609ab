using Bakery.BuildFiles;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.BuildFiles.Tests.BuildFiles;

/// <summary>
/// resources/invalid: one broken build file per scenario, each with a NAME.expect sidecar saying which problem it must produce
/// and where (<c>at: LINE:COL</c>, <c>path:</c>, <c>message:</c> fragment, optional <c>suggestion:</c>, <c>file:</c> for
/// command-line problems, <c>args:</c> for -var/-only/-except, <c>pad-to:</c> to grow the file past the size limit).
/// </summary>
public class InvalidCorpusTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "resources", "invalid");

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_forty_scenarios_each_with_an_expectation()
    {
        var scenarios = Directory.GetFiles(Folder, "*.json");
        Assert.True(scenarios.Length >= 40, $"only {scenarios.Length} scenarios");
        Assert.All(scenarios, s => Assert.True(File.Exists(Path.ChangeExtension(s, ".expect")), $"{s} has no .expect"));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void Each_invalid_file_reports_its_problem_at_its_place(string scenario)
    {
        var expect = ReadExpectation(scenario);
        var path = Path.Combine(Folder, scenario + ".json");
        var content = File.ReadAllBytes(path);
        if (expect.TryGetValue("pad-to", out var padTo))
        {
            var padded = new byte[int.Parse(padTo, System.Globalization.CultureInfo.InvariantCulture)];
            Array.Fill(padded, (byte)' ');
            content.CopyTo(padded, 0);
            content = padded;
        }

        var input = new BuildFileInput
        {
            Path = path,
            Content = content,
            Files = new LocalBundleFiles(Folder),
        };
        input = ApplyArgs(input, expect.GetValueOrDefault("args", ""));

        var result = new BuildFileLoader(new FakeTimeProvider(BuildFileTestKit.Now)).Load(input);

        Assert.False(result.IsValid);
        Assert.Null(result.Definition);
        var expectedFile = expect.GetValueOrDefault("file", path);
        var expectedAt = expect.GetValueOrDefault("at", "0:0");
        var match = result.Errors.FirstOrDefault(e =>
            e.File == expectedFile
            && $"{e.Line}:{e.Column}" == expectedAt
            && e.JsonPath == expect["path"]
            && e.Message.Contains(expect["message"], StringComparison.Ordinal));
        Assert.True(match is not null,
            $"expected {expectedFile}:{expectedAt}: {expect["path"]}: ...{expect["message"]}... but got:{Environment.NewLine}"
            + string.Join(Environment.NewLine, result.Errors));
        if (expect.TryGetValue("suggestion", out var suggestion))
        {
            Assert.Equal(suggestion, match.Suggestion);
        }
    }

    private static Dictionary<string, string> ReadExpectation(string scenario)
    {
        var expect = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(Folder, scenario + ".expect")))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && !line.StartsWith('#'))
            {
                expect[line[..colon]] = line[(colon + 1)..].Trim();
            }
        }

        return expect;
    }

    private static BuildFileInput ApplyArgs(BuildFileInput input, string args)
    {
        var words = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i + 1 < words.Length; i += 2)
        {
            var value = words[i + 1];
            input = words[i] switch
            {
                "-var" => input with { Vars = [.. input.Vars, new KeyValuePair<string, string>(value[..value.IndexOf('=', StringComparison.Ordinal)], value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..])] },
                "-only" => input with { Only = [value] },
                "-except" => input with { Except = [value] },
                _ => throw new InvalidOperationException($"unknown argument {words[i]}"),
            };
        }

        return input;
    }
}
