using System.Text.Json.Nodes;
using Bakery.Local.StandIn;

namespace Bakery.Cli.Build;

/// <summary>The execution inputs a deployed stack would get for an uploaded build file.</summary>
internal static class BuildTrigger
{
    /// <summary>What S3 sends through EventBridge for a new object (the <c>BuildUploadedRule</c>'s event).</summary>
    public static string S3ObjectCreated(string bucket, string key, long size, string? etag, string? versionId, string region, DateTimeOffset time) =>
        S3ObjectCreatedEvent.Create(bucket, key, size, etag, versionId, S3ObjectCreatedEvent.Sequencer(time), region, time);

    /// <summary>The console shape, for a builder selection (<c>-only</c>/<c>-except</c>) an upload cannot carry.</summary>
    public static string Console(string bucket, string key, IReadOnlyList<string> only, IReadOnlyList<string> except, IReadOnlyList<KeyValuePair<string, string>> vars)
    {
        var input = new JsonObject { ["template"] = $"s3://{bucket}/{key}" };
        if (only.Count > 0)
        {
            input["only"] = new JsonArray([.. only.Select(n => (JsonNode)n)]);
        }

        if (except.Count > 0)
        {
            input["except"] = new JsonArray([.. except.Select(n => (JsonNode)n)]);
        }

        if (vars.Count > 0)
        {
            var values = new JsonObject();
            foreach (var (name, value) in vars)
            {
                values[name] = value;
            }

            input["vars"] = values;
        }

        return input.ToJsonString();
    }
}
