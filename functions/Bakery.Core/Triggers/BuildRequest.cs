using System.Text.Json;

namespace Bakery.Core.Triggers;

/// <summary>
/// The one request every trigger shape is normalized into. Either <see cref="Bucket"/>/<see cref="Key"/> name the
/// build file in S3, or <see cref="InlineBuildFile"/> carries it.
/// </summary>
public sealed record BuildRequest
{
    public required TriggerKind Kind { get; init; }
    public string? Bucket { get; init; }
    public string? Key { get; init; }
    public string? VersionId { get; init; }
    public string? ETag { get; init; }
    /// <summary>S3's per-write sequencer: a duplicate delivery of the same upload carries the same value.</summary>
    public string? Sequencer { get; init; }
    /// <summary>The build file itself when the console passed it inline.</summary>
    public JsonElement? InlineBuildFile { get; init; }
    public IReadOnlyDictionary<string, string> Vars { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Only { get; init; } = [];
    public IReadOnlyList<string> Except { get; init; } = [];
    /// <summary>A build id chosen by the caller (console/CLI); used as is.</summary>
    public string? ExplicitBuildId { get; init; }
    /// <summary>Bakery's own settings from the console or schedule input (<c>"bakery"</c>), unread: Prepare checks them like a sidecar.</summary>
    public JsonElement? Settings { get; init; }
    /// <summary>
    /// The failed build this execution resumes (<c>{"resume": "BUILD_ID"}</c>); its build file, builders and what they
    /// kept come from the ledger, so <see cref="Bucket"/>/<see cref="Key"/> are unset until Prepare reads it.
    /// </summary>
    public string? ResumeBuildId { get; init; }
    /// <summary>When the schedule fired (retried deliveries of one firing carry the same time).</summary>
    public DateTimeOffset? ScheduledTime { get; init; }
    /// <summary>The S3 event's own time, for the record.</summary>
    public DateTimeOffset? EventTime { get; init; }

    /// <summary><c>s3://bucket/key</c>, or <c>inline</c>.</summary>
    public string SourceDescription => Bucket is null ? "inline" : $"s3://{Bucket}/{Key}";
}
