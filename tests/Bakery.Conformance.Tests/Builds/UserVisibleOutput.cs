using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Bakery.Conformance.Tests.Builds;

/// <summary>
/// The parts of a build's output and manifest that users' scripts parse, made comparable between two runs: AMI ids
/// become the <c>region/name</c> of the image they name, Unix times and run UUIDs become placeholders.
/// </summary>
public static partial class UserVisibleOutput
{
    /// <summary>
    /// The <c>-machine-readable</c> lines users parse — <c>artifact-count</c>, every <c>artifact,N,...</c> row and the
    /// "AMIs were created" block — without their timestamp column.
    /// </summary>
    public static string ArtifactLines(string stdout, IReadOnlyDictionary<string, string> imageNames)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(',', 2) is [_, var rest] ? rest : line)
            .Where(line => line.Split(',') is [_, "artifact-count" or "artifact", ..] || line.Contains("AMIs were created", StringComparison.Ordinal));
        return Normalize(string.Join('\n', lines), imageNames);
    }

    /// <summary>A manifest written by Packer's manifest post-processor, field by field, one per line.</summary>
    public static string Manifest(string json, IReadOnlyDictionary<string, string> imageNames)
    {
        var manifest = JsonNode.Parse(json)!.AsObject();
        var text = new StringBuilder();
        var lastRun = (string?)manifest["last_run_uuid"];
        text.AppendLine($"last_run_uuid: {(Uuid().IsMatch(lastRun ?? "") ? "<uuid>" : lastRun)}");
        foreach (var build in manifest["builds"]?.AsArray() ?? [])
        {
            text.AppendLine("build:");
            foreach (var (key, value) in build!.AsObject().OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                var shown = key switch
                {
                    "packer_run_uuid" => (string?)value == lastRun ? "<uuid, = last_run_uuid>" : $"<{value} != last_run_uuid>",
                    "build_time" => value?.GetValue<long>() is 0 ? "0" : "<unix time>",
                    _ => value?.ToJsonString() ?? "null",
                };
                text.AppendLine($"  {key}: {shown}");
            }
        }

        return Normalize(text.ToString(), imageNames);
    }

    /// <summary>Text with every Unix time (a <c>{{timestamp}}</c> in a name, a log line's time) replaced by a placeholder.</summary>
    public static string WithoutTimes(string text) => UnixTime().Replace(text, "<timestamp>");

    private static string Normalize(string text, IReadOnlyDictionary<string, string> imageNames) =>
        WithoutTimes(AmiId().Replace(text, m => imageNames.TryGetValue(m.Value, out var name) ? $"<{WithoutTimes(name)}>" : m.Value));

    [GeneratedRegex(@"ami-[0-9a-f]{8,17}")]
    private static partial Regex AmiId();

    [GeneratedRegex(@"\b1[6-9]\d{8}\b")]
    private static partial Regex UnixTime();

    [GeneratedRegex("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();
}
