namespace Bakery.Local.Lambda.Internal;

/// <summary>
/// A function's execution environments: a warm one is reused, concurrent invokes start more up to the limit (then
/// wait), and an environment that timed out or crashed is dropped so the next invoke starts a fresh one.
/// </summary>
internal sealed class FunctionPool(FunctionDefinition function, LocalLambdaOptions options, FunctionLog log) : IAsyncDisposable
{
    private readonly SemaphoreSlim slots = new(options.MaxEnvironmentsPerFunction);
    private readonly Stack<ExecutionEnvironment> idle = new();
    private readonly List<ExecutionEnvironment> all = [];
    private readonly Lock guard = new();

    public FunctionDefinition Function => function;

    public FunctionLog Log => log;

    /// <summary>Environments started so far (including replaced ones).</summary>
    public int EnvironmentsStarted { get; private set; }

    public async Task<InvocationResult> InvokeAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var environment = await AcquireAsync().ConfigureAwait(false);
            try
            {
                return await environment.InvokeAsync(requestId, payload, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await ReleaseAsync(environment).ConfigureAwait(false);
            }
        }
        finally
        {
            slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ExecutionEnvironment[] environments;
        lock (guard)
        {
            environments = [.. all];
            all.Clear();
            idle.Clear();
        }

        foreach (var environment in environments)
        {
            await environment.DisposeAsync().ConfigureAwait(false);
        }

        slots.Dispose();
    }

    private async Task<ExecutionEnvironment> AcquireAsync()
    {
        var dead = new List<ExecutionEnvironment>();
        lock (guard)
        {
            while (idle.TryPop(out var warm))
            {
                if (!warm.HasExited)
                {
                    return warm;
                }

                // It died while idle (e.g. the terminal's Ctrl-C reached it): Lambda gives the next event a new
                // environment; the caller never sees the old one.
                all.Remove(warm);
                dead.Add(warm);
            }

            EnvironmentsStarted++;
        }

        foreach (var gone in dead)
        {
            await gone.DisposeAsync().ConfigureAwait(false);
        }

        var environment = await ExecutionEnvironment.StartAsync(function, options, log).ConfigureAwait(false);
        lock (guard)
        {
            all.Add(environment);
        }

        return environment;
    }

    private async Task ReleaseAsync(ExecutionEnvironment environment)
    {
        if (environment.IsHealthy)
        {
            lock (guard)
            {
                idle.Push(environment);
            }

            return;
        }

        lock (guard)
        {
            all.Remove(environment);
        }

        await environment.DisposeAsync().ConfigureAwait(false);
    }
}
