using System.Text.Json;

namespace Bakery.Conformance.Tests.Corpus;

/// <summary>The corpus beside the tests (copied to the output folder): its cases and the environment every run gets.</summary>
public static class ConformanceCorpus
{
    private static readonly Lazy<(IReadOnlyList<ConformanceCase> Cases, IReadOnlyDictionary<string, string> Environment)> Loaded = new(Load);

    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "corpus");

    public static IReadOnlyList<ConformanceCase> Cases => Loaded.Value.Cases;

    /// <summary>Variables every run of either tool gets (the CI context the corpus' env templates read).</summary>
    public static IReadOnlyDictionary<string, string> Environment => Loaded.Value.Environment;

    /// <summary>A variable as a tool run with <see cref="Environment"/> reads it: the corpus' value, else this process's.</summary>
    public static string? EnvironmentVariable(string name) =>
        Environment.TryGetValue(name, out var value) ? value : System.Environment.GetEnvironmentVariable(name);

    public static ConformanceCase Get(string name) =>
        Cases.SingleOrDefault(c => c.Name == name) ?? throw new ArgumentException($"no corpus case named {name}", nameof(name));

    public static TheoryData<string> Names(Func<ConformanceCase, bool> predicate)
    {
        var data = new TheoryData<string>();
        foreach (var @case in Cases.Where(predicate))
        {
            data.Add(@case.Name);
        }

        return data;
    }

    private static (IReadOnlyList<ConformanceCase>, IReadOnlyDictionary<string, string>) Load()
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllBytes(Path.Combine(Folder, "cases.json")));
        var environment = document.RootElement.GetProperty("environment").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
        var cases = document.RootElement.GetProperty("cases").EnumerateArray().Select(ReadCase).ToList();
        return (cases, environment);
    }

    private static ConformanceCase ReadCase(JsonElement element) => new()
    {
        Name = element.GetProperty("name").GetString()!,
        File = element.GetProperty("file").GetString()!,
        Pattern = element.GetProperty("pattern").GetString()!,
        Args = Strings(element, "args"),
        WorkingFolder = element.TryGetProperty("workdir", out var workdir) ? workdir.GetString()! : ".",
        Refusal = element.TryGetProperty("refusal", out var refusal) ? refusal.GetString() : null,
        Newer = Strings(element, "newer"),
        Build = element.TryGetProperty("build", out var build) && build.GetBoolean(),
        TemplateDirInBucket = element.TryGetProperty("templateDirInBucket", out var inBucket) ? inBucket.GetString() : null,
    };

    private static string[] Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) ? [.. array.EnumerateArray().Select(e => e.GetString()!)] : [];
}
