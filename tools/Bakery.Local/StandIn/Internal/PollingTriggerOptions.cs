namespace Bakery.Local.StandIn.Internal;

/// <summary>
/// How a <see cref="PollingTrigger{TItem}"/> polls and logs: every <see cref="Interval"/> on <see cref="Time"/>;
/// <see cref="Listing"/> (what it lists) and <see cref="Endpoint"/> (where) name what failed in its log lines.
/// </summary>
internal sealed class PollingTriggerOptions
{
    public required string Listing { get; init; }

    public required string Endpoint { get; init; }

    public Action<string> Log { get; init; } = _ => { };

    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeProvider Time { get; init; } = TimeProvider.System;
}
