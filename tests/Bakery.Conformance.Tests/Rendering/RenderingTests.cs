using System.Text.Json.Nodes;
using Bakery.Conformance.Tests.Corpus;
using Bakery.Conformance.Tests.Oracle;
using Bakery.Testing;
using Xunit.Abstractions;

namespace Bakery.Conformance.Tests.Rendering;

/// <summary>
/// Issue 12, part 2: every template string of every case both tools accept renders to the same text in Bakery's
/// engine as in <c>packer console</c> — user variables (declared or not), var files, -var, env, the timestamp-free
/// functions, template_dir and relative paths — with the same arguments, working folder and environment.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Process)]
[Collection(WorkingFolderCollection.Name)]
public sealed class RenderingTests(ITestOutputHelper output)
{
    public static TheoryData<string> AcceptedCases => ConformanceCorpus.Names(c => c.BothAccept);

    [Theory]
    [MemberData(nameof(AcceptedCases))]
    public async Task Every_template_renders_as_packer_console_renders_it(string name)
    {
        var @case = ConformanceCorpus.Get(name);
        var folder = Path.GetFullPath(Path.Combine(ConformanceCorpus.Folder, @case.WorkingFolder));
        var result = BakeryEngine.Load(@case, folder);
        Assert.True(result.IsValid, $"Bakery refuses {name}:\n{string.Join('\n', result.Errors)}");

        var file = (JsonObject)JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, @case.File)))!;
        // Builder names find the plan each builder's probes compare with. A name with no template action is its own
        // rendering (as in Go's text/template); the others are rendered by Packer, in a console run of their own.
        var builderNames = (file["builders"] as JsonArray ?? []).OfType<JsonObject>().Select(b => (string?)b["name"] ?? "amazon-ebs").Distinct().ToList();
        var names = builderNames.ToDictionary(n => n, n => n, StringComparer.Ordinal);
        var templatedNames = builderNames.Where(n => n.Contains("{{", StringComparison.Ordinal)).ToList();
        foreach (var (raw, rendered) in templatedNames.Zip(await PackerConsole.RenderAsync(@case, folder, templatedNames)))
        {
            names[raw] = rendered;
        }

        var probes = RenderProbes.Collect(file, PassedVariables(@case, folder), result.Definition!, raw => names[raw]);
        Assert.NotEmpty(probes);
        var packer = await PackerConsole.RenderAsync(@case, folder, [.. probes.Select(p => p.Template)]);
        var differences = probes.Zip(packer)
            .Where(pair => pair.First.BakeryValue != pair.Second)
            .Select(pair => $"{pair.First.Place}: {pair.First.Template}\n  packer: [{pair.Second}]\n  bakery: [{pair.First.BakeryValue}]")
            .ToList();
        output.WriteLine($"{probes.Count} templates compared");
        Assert.True(differences.Count == 0, $"{differences.Count} of {probes.Count} templates render differently:\n{string.Join('\n', differences)}");
    }

    /// <summary>Variable names given with -var and in var files (declared or not).</summary>
    private static IEnumerable<string> PassedVariables(ConformanceCase @case, string folder)
    {
        for (var i = 0; i < @case.Args.Count; i++)
        {
            var (flag, value) = SplitFlag(@case.Args, ref i);
            if (flag == "-var")
            {
                yield return value[..value.IndexOf('=', StringComparison.Ordinal)];
            }
            else if (flag == "-var-file" && JsonNode.Parse(File.ReadAllText(Path.Combine(folder, value))) is JsonObject values)
            {
                foreach (var (name, _) in values)
                {
                    yield return name;
                }
            }
        }
    }

    private static (string Flag, string Value) SplitFlag(IReadOnlyList<string> args, ref int i)
    {
        var equals = args[i].IndexOf('=', StringComparison.Ordinal);
        if (args[i].StartsWith("-var=", StringComparison.Ordinal) || args[i].StartsWith("-var-file=", StringComparison.Ordinal))
        {
            return (args[i][..equals], args[i][(equals + 1)..]);
        }

        return args[i] is "-var" or "-var-file" ? (args[i], args[++i]) : (args[i], "");
    }
}
