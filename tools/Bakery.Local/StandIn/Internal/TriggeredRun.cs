namespace Bakery.Local.StandIn.Internal;

/// <summary>
/// One run a <see cref="PollingTrigger{TItem}"/> starts for a new item: <paramref name="Name"/> names it in the log
/// lines about its end, <paramref name="Starting"/> is the line logged as it starts, and <paramref name="RunAsync"/> runs
/// it and says how it ended.
/// </summary>
internal sealed record TriggeredRun(string Name, string Starting, Func<CancellationToken, Task<string>> RunAsync);
