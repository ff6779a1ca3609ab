using System.Globalization;
using System.Text.Json.Nodes;

namespace Bakery.Local.StandIn;

/// <summary>
/// The event S3 sends through EventBridge for a new object (<c>detail-type: Object Created</c>, <c>source: aws.s3</c>):
/// what the stack's <c>BuildUploadedRule</c> passes to the state machine, so local executions get the same input.
/// </summary>
public static class S3ObjectCreatedEvent
{
    public const string Account = "123456789012";

    public static string Create(string bucket, string key, long size, string? etag, string? versionId, string sequencer, string region, DateTimeOffset time)
    {
        var detail = new JsonObject
        {
            ["version"] = "0",
            ["bucket"] = new JsonObject { ["name"] = bucket },
            ["object"] = new JsonObject
            {
                // EventBridge carries the key URL-encoded ('/' kept), as S3 notifications do.
                ["key"] = Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal),
                ["size"] = size,
                ["etag"] = etag?.Trim('"'),
                ["version-id"] = versionId,
                ["sequencer"] = sequencer,
            },
            ["request-id"] = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(),
            ["requester"] = Account,
            ["reason"] = "PutObject",
        };
        return new JsonObject
        {
            ["version"] = "0",
            ["id"] = Guid.NewGuid().ToString(),
            ["detail-type"] = "Object Created",
            ["source"] = "aws.s3",
            ["account"] = Account,
            ["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["region"] = region,
            ["resources"] = new JsonArray($"arn:aws:s3:::{bucket}"),
            ["detail"] = detail,
        }.ToJsonString();
    }

    /// <summary>A sequencer the way S3 writes one: hex, growing with time for one key.</summary>
    public static string Sequencer(DateTimeOffset time, int counter = 0) =>
        time.UtcTicks.ToString("X16", CultureInfo.InvariantCulture) + (counter & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
}
