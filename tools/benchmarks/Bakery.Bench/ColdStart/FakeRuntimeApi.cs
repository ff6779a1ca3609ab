using System.Diagnostics;
using Bakery.Local.Lambda;
using Microsoft.AspNetCore.Http;

namespace Bakery.Bench.ColdStart;

/// <summary>
/// The smallest Lambda Runtime API host that serves one invocation (on the local Lambda service's server): the first
/// <c>/next</c> gets the event, the first <c>/response</c> (or <c>/error</c>) ends the run and records when it arrived
/// and the process's peak RSS at that moment. Later <c>/next</c> calls are left waiting, as Lambda leaves an idle
/// environment frozen.
/// </summary>
internal sealed class FakeRuntimeApi : IRuntimeApiHost, IAsyncDisposable
{
    private readonly byte[] _event;
    private RuntimeApiServer? _server;
    private TaskCompletionSource<RuntimeOutcome> _outcome = NewOutcome();
    private Stopwatch _clock = new();
    private int _processId;

    private FakeRuntimeApi(byte[] invocationEvent) => _event = invocationEvent;

    /// <summary>host:port, as in AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address => _server!.Address;

    public static async Task<FakeRuntimeApi> StartAsync(byte[] invocationEvent)
    {
        var api = new FakeRuntimeApi(invocationEvent);
        api._server = await RuntimeApiServer.StartAsync(api).ConfigureAwait(false);
        return api;
    }

    /// <summary>Arms the API for one run, before the process starts (its first call may come at once).</summary>
    public Task<RuntimeOutcome> Expect(Stopwatch clock)
    {
        _clock = clock;
        _processId = 0;
        _outcome = NewOutcome();
        return _outcome.Task;
    }

    /// <summary>The process whose peak RSS is read when its response arrives.</summary>
    public void Watch(int processId) => Volatile.Write(ref _processId, processId);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async Task NextAsync(HttpContext http)
    {
        if (_outcome.Task.IsCompleted)
        {
            // An environment waiting for its next event: hold the request until the process is stopped.
            try
            {
                await Task.Delay(Timeout.Infinite, http.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return;
        }

        await RuntimeApiServer.WriteEventAsync(http, new RuntimeApiEvent("bench-request-1", _event, "arn:aws:lambda:us-east-1:123456789012:function:bench")
        {
            Deadline = DateTimeOffset.UtcNow.AddMinutes(2),
            TraceId = "Root=1-00000000-000000000000000000000000",
        }).ConfigureAwait(false);
    }

    public Task ResponseAsync(string requestId, byte[] body, HttpContext http) => Finish(succeeded: true, body, http);

    public Task ErrorAsync(string requestId, byte[] body, string errorType, HttpContext http) => Finish(succeeded: false, body, http);

    public Task InitErrorAsync(byte[] body, string errorType, HttpContext http) => Finish(succeeded: false, body, http);

    private static TaskCompletionSource<RuntimeOutcome> NewOutcome() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task Finish(bool succeeded, byte[] body, HttpContext http)
    {
        var elapsed = _clock.Elapsed;
        var processId = Volatile.Read(ref _processId);
        var peakRss = processId == 0 ? null : Machine.PeakRssKilobytes(processId);
        http.Response.StatusCode = StatusCodes.Status202Accepted;
        _outcome.TrySetResult(new RuntimeOutcome(succeeded, elapsed, peakRss, http.Request.Path, System.Text.Encoding.UTF8.GetString(body)));
        return Task.CompletedTask;
    }
}
