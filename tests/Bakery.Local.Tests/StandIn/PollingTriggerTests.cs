using System.Collections.Concurrent;
using System.Threading.Channels;
using Amazon.Runtime;
using Bakery.Local.StandIn.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Bakery.Functions.Tests.StandIn;

/// <summary>
/// The polling the stand-in's triggers share, on a fake clock: each tick is the test advancing time once the loop waits
/// on it (the clock says when a timer is made), so nothing here sleeps or judges time.
/// </summary>
public class PollingTriggerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly TickingClock _clock = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly Channel<string> _started = Channel.CreateUnbounded<string>();
    private volatile string[] _listing = [];
    private volatile Exception? _listingFails;

    [Fact]
    public async Task Unseen_items_start_once_and_those_there_at_the_start_never()
    {
        _listing = ["old"];
        await using var trigger = await StartAsync();

        _listing = ["old", "new"];
        await TickAsync();
        Assert.Equal("new", await _started.Reader.ReadAsync());

        _listing = ["old", "new", "newer"];
        await TickAsync();
        Assert.Equal("newer", await _started.Reader.ReadAsync());
        await TickAsync();

        Assert.Equal(2, trigger.Started);
        Assert.False(_started.Reader.TryRead(out var again), $"{again} started twice");
    }

    [Fact]
    public async Task A_failing_listing_is_logged_and_tried_again_at_the_next_tick()
    {
        await using var trigger = await StartAsync();

        _listing = ["new"];
        _listingFails = new HttpRequestException("connection refused");
        await TickAsync();
        _listingFails = new AmazonServiceException("NoSuchBucket");
        await TickAsync();
        _listingFails = null;
        await TickAsync();

        Assert.Equal("new", await _started.Reader.ReadAsync());
        Assert.Contains("test trigger: moto unreachable: connection refused", _log);
        Assert.Contains("test trigger: listing items failed: NoSuchBucket", _log);
        Assert.Equal(1, trigger.Started);
    }

    [Fact]
    public async Task An_item_prepare_declines_is_seen_and_never_started()
    {
        await using var trigger = await StartAsync(prepareDeclines: "skipped");

        _listing = ["skipped", "taken"];
        await TickAsync();

        Assert.Equal("taken", await _started.Reader.ReadAsync());
        Assert.Equal(1, trigger.Started);
    }

    [Fact]
    public async Task Disposing_cancels_the_runs_and_waits_for_them_to_end()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var trigger = await StartAsync(run: async (_, stopping) =>
        {
            await using (stopping.Register(() => cancelled.TrySetResult()))
            {
                await release.Task;
            }

            return "done";
        });
        _listing = ["slow"];
        await TickAsync();
        await _started.Reader.ReadAsync();

        var disposing = trigger.DisposeAsync().AsTask();
        await cancelled.Task;
        Assert.False(disposing.IsCompleted, "disposing ended while a run was still going");

        release.SetResult();
        await disposing;
        Assert.Contains("test trigger: slow ended done", _log);
    }

    private async Task<PollingTrigger<string>> StartAsync(
        string? prepareDeclines = null, Func<string, CancellationToken, Task<string>>? run = null)
    {
        run ??= (_, _) => Task.FromResult("fine");
        var trigger = await PollingTrigger<string>.StartAsync(
            "test trigger",
            _ => _listingFails is { } failure ? Task.FromException<IReadOnlyList<string>>(failure) : Task.FromResult<IReadOnlyList<string>>(_listing),
            item => item,
            (item, _, _) => Task.FromResult(item == prepareDeclines ? null : new TriggeredRun(item, $"{item} starts", stopping =>
            {
                _started.Writer.TryWrite(item);
                return run(item, stopping);
            })),
            new PollingTriggerOptions { Listing = "listing items", Endpoint = "moto", Log = _log.Enqueue, Interval = Interval, Time = _clock });
        await _clock.Timers.Reader.ReadAsync();
        return trigger;
    }

    /// <summary>Lets one interval pass and waits for the loop to have listed once and to wait on the clock again.</summary>
    private async Task TickAsync()
    {
        _clock.Advance(Interval);
        await _clock.Timers.Reader.ReadAsync();
    }

    /// <summary>A fake clock that says each time a timer is made (the loop's <c>Task.Delay</c>).</summary>
    private sealed class TickingClock : FakeTimeProvider
    {
        public Channel<bool> Timers { get; } = Channel.CreateUnbounded<bool>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Timers.Writer.TryWrite(true);
            return timer;
        }
    }
}
