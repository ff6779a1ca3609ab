using Amazon.Runtime;

namespace Bakery.Local.StandIn.Internal;

/// <summary>
/// What the stand-in's triggers share (moto delivers no events, so they poll): the items listed when it starts are
/// seen and never run; every <c>interval</c> it lists again and starts a run for each item it has not seen; a listing
/// that fails (moto restarting, the bucket gone) is logged and tried again at the next tick; disposing stops the
/// polling, cancels the runs and waits for them to end.
/// </summary>
/// <typeparam name="TItem">What is listed: an execution ARN, an object version.</typeparam>
internal sealed class PollingTrigger<TItem> : IAsyncDisposable
{
    private readonly string _name;
    private readonly Func<CancellationToken, Task<IReadOnlyList<TItem>>> _list;
    private readonly Func<TItem, string> _id;
    private readonly Func<TItem, int, CancellationToken, Task<TriggeredRun?>> _prepare;
    private readonly PollingTriggerOptions _options;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly List<Task> _runs = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private int _counter;

    private PollingTrigger(
        string name, Func<CancellationToken, Task<IReadOnlyList<TItem>>> list, Func<TItem, string> id,
        Func<TItem, int, CancellationToken, Task<TriggeredRun?>> prepare, PollingTriggerOptions options)
    {
        _name = name;
        _list = list;
        _id = id;
        _prepare = prepare;
        _options = options;
    }

    /// <summary>How many runs this trigger started.</summary>
    public int Started => Volatile.Read(ref _counter);

    /// <summary>
    /// Lists what is there now (never run) and starts polling. <paramref name="prepare"/> gets each new item and the
    /// number its run would have (1 for the first) and returns the run, or null to leave the item alone (it is seen
    /// either way). <paramref name="name"/> starts every log line ("upload trigger").
    /// </summary>
    public static async Task<PollingTrigger<TItem>> StartAsync(
        string name, Func<CancellationToken, Task<IReadOnlyList<TItem>>> list, Func<TItem, string> id,
        Func<TItem, int, CancellationToken, Task<TriggeredRun?>> prepare, PollingTriggerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(options);
        var trigger = new PollingTrigger<TItem>(name, list, id, prepare, options);
        foreach (var item in await list(cancellationToken).ConfigureAwait(false))
        {
            trigger._seen.Add(id(item));
        }

        trigger._loop = Task.Run(() => trigger.PollAsync(trigger._stopping.Token), CancellationToken.None);
        return trigger;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        Task[] running;
        lock (_runs)
        {
            running = [.. _runs];
        }

        // Cancelling kills each run's runner process; what the builds created is left as a stopped execution leaves it.
        await Task.WhenAll(running).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task PollAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.Interval, _options.Time, stopping).ConfigureAwait(false);
                foreach (var item in await _list(stopping).ConfigureAwait(false))
                {
                    if (_seen.Add(_id(item)) && await _prepare(item, Started + 1, stopping).ConfigureAwait(false) is { } run)
                    {
                        Start(run, stopping);
                    }
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonServiceException error)
            {
                // Keep watching; say why nothing triggers meanwhile.
                _options.Log($"{_name}: {_options.Listing} failed: {error.Message}");
            }
            catch (HttpRequestException error)
            {
                _options.Log($"{_name}: {_options.Endpoint} unreachable: {error.Message}");
            }
        }
    }

    private void Start(TriggeredRun run, CancellationToken stopping)
    {
        Interlocked.Increment(ref _counter);
        _options.Log($"{_name}: {run.Starting}");
        var task = Task.Run(async () =>
        {
            try
            {
                var ended = await run.RunAsync(stopping).ConfigureAwait(false);
                _options.Log($"{_name}: {run.Name} ended {ended}");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                _options.Log($"{_name}: {run.Name} stopped (stand-in going down)");
            }
            catch (InvalidOperationException error)
            {
                _options.Log($"{_name}: {run.Name} could not run: {error.Message}");
            }
        }, CancellationToken.None);
        lock (_runs)
        {
            _runs.RemoveAll(t => t.IsCompleted);
            _runs.Add(task);
        }
    }
}
