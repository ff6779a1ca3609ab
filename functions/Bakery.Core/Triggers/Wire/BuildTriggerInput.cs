using System.Text.Json;

namespace Bakery.Core.Triggers.Wire;

/// <summary>
/// The scheduler's and the console's input: <c>template</c> (<c>s3://bucket/key</c>) or an inline <c>buildFile</c>,
/// plus optional <c>vars</c>, <c>only</c>, <c>except</c>, <c>buildId</c>, <c>bakery</c> (Bakery's own settings) and <c>scheduledTime</c>
/// (EventBridge Scheduler fills it from <c>&lt;aws.scheduler.scheduled-time&gt;</c>).
/// </summary>
public sealed record BuildTriggerInput
{
    public string? Template { get; init; }
    public JsonElement? BuildFile { get; init; }
    public Dictionary<string, JsonElement>? Vars { get; init; }
    public IReadOnlyList<string>? Only { get; init; }
    public IReadOnlyList<string>? Except { get; init; }
    public string? BuildId { get; init; }
    public string? ScheduledTime { get; init; }
    /// <summary>The id of a failed build to resume (docs/reliability.md); with it, only <c>vars</c> may be given.</summary>
    public string? Resume { get; init; }
    /// <summary>Bakery's own settings, the schema of a <c>NAME.bakery.json</c> sidecar; they win over the sidecar's where set.</summary>
    public JsonElement? Bakery { get; init; }
}
