using System.Globalization;
using System.Text.Json.Nodes;

namespace Bakery.Cli.Build;

/// <summary>The execution inputs a deployed stack would get for an uploaded build file.</summary>
internal static class BuildTrigger
{
    /// <summary>What S3 sends through EventBridge for a new object (the <c>BuildUploadedRule</c>'s event).</summary>
    public static string S3ObjectCreated(string bucket, string key, long size, string? etag, string? versionId, string region, DateTimeOffset time)
    {
        var detail = new JsonObject
        {
            ["version"] = "0",
            ["bucket"] = new JsonObject { ["name"] = bucket },
            ["object"] = new JsonObject
            {
                ["key"] = Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal),
                ["size"] = size,
                ["etag"] = etag?.Trim('"'),
                ["version-id"] = versionId,
                ["sequencer"] = time.UtcTicks.ToString("X16", CultureInfo.InvariantCulture),
            },
            ["request-id"] = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(),
            ["requester"] = "123456789012",
            ["reason"] = "PutObject",
        };
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "Object Created",
            ["source"] = "aws.s3",
            ["account"] = "123456789012",
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray($"arn:aws:s3:::{bucket}"),
            ["detail"] = detail,
        }.ToJsonString();
    }

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
