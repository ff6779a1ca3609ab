using Bakery.Conformance.Tests.Corpus;

namespace Bakery.Conformance.Tests.Oracle;

/// <summary>
/// <c>packer console</c>: renders template text exactly as Packer does, with a case's variables, var files, working
/// folder and environment. Many templates go through one run, joined by a separator no corpus value contains (Packer
/// 1.6.6's console reliably answers only the first line of its input); if any fails, each is rendered alone so the
/// error names the one that failed.
/// </summary>
public static class PackerConsole
{
    private const string Separator = "<~conformance~>";

    public static async Task<IReadOnlyList<string>> RenderAsync(ConformanceCase @case, string folder, IReadOnlyList<string> templates)
    {
        if (templates.Count == 0)
        {
            return [];
        }

        var joined = await RenderOneAsync(@case, folder, string.Join(Separator, templates));
        if (joined.ExitCode == 0 && !joined.Stdout.Contains("Interpolation error", StringComparison.Ordinal))
        {
            var parts = joined.Stdout.TrimEnd('\n').Split(Separator);
            if (parts.Length == templates.Count)
            {
                return parts;
            }
        }

        var values = new List<string>();
        foreach (var template in templates)
        {
            var single = await RenderOneAsync(@case, folder, template);
            values.Add(single.Stderr.Length == 0 && !single.Stdout.Contains("Interpolation error", StringComparison.Ordinal)
                ? single.Stdout.TrimEnd('\n')
                : $"<packer could not render: {single.Output.Trim()}>");
        }

        return values;
    }

    private static Task<ToolResult> RenderOneAsync(ConformanceCase @case, string folder, string template) =>
        PackerCli.RunAsync(folder, ConformanceCorpus.Environment, ["console", .. @case.Args, @case.File], template + "\n");
}
