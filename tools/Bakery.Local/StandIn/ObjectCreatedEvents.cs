using System.Globalization;
using System.Text.Json;
using Bakery.Core.Serialization;
using Bakery.Core.Triggers.Wire;

namespace Bakery.Local.StandIn;

/// <summary>
/// Writes the <see cref="S3ObjectCreatedEvent"/> S3 would send through EventBridge for a new object: what the stack's
/// <c>BuildUploadedRule</c> passes to the state machine, so local executions get the same input. The type is the one
/// Prepare reads, so the two cannot drift apart.
/// </summary>
public static class ObjectCreatedEvents
{
    public const string Account = "123456789012";

    public static string Create(string bucket, string key, long size, string? etag, string? versionId, string sequencer, string region, DateTimeOffset time)
    {
        var created = new S3ObjectCreatedEvent
        {
            Version = "0",
            Id = Guid.NewGuid().ToString(),
            DetailType = "Object Created",
            Source = "aws.s3",
            Account = Account,
            Time = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Region = region,
            Resources = [$"arn:aws:s3:::{bucket}"],
            Detail = new S3ObjectCreatedDetail
            {
                Version = "0",
                Bucket = new S3EventBucket { Name = bucket },
                Object = new S3EventObject
                {
                    // EventBridge carries the key URL-encoded ('/' kept), as S3 notifications do.
                    Key = Uri.EscapeDataString(key).Replace("%2F", "/", StringComparison.Ordinal),
                    Size = size,
                    Etag = etag?.Trim('"'),
                    VersionId = versionId,
                    Sequencer = sequencer,
                },
                RequestId = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant(),
                Requester = Account,
                Reason = "PutObject",
            },
        };
        return JsonSerializer.Serialize(created, BakeryJsonContext.Default.S3ObjectCreatedEvent);
    }

    /// <summary>A sequencer the way S3 writes one: hex, growing with time for one key.</summary>
    public static string Sequencer(DateTimeOffset time, int counter = 0) =>
        time.UtcTicks.ToString("X16", CultureInfo.InvariantCulture) + (counter & 0xFFFF).ToString("X4", CultureInfo.InvariantCulture);
}
