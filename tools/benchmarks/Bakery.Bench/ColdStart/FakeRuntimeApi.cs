using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bakery.Bench.ColdStart;

/// <summary>
/// The smallest Lambda Runtime API that serves one invocation: the first <c>/next</c> gets the event, the first
/// <c>/response</c> (or <c>/error</c>) ends the run and records when it arrived and the process's peak RSS at that moment.
/// Later <c>/next</c> calls are left waiting, as Lambda leaves an idle environment frozen.
/// </summary>
internal sealed class FakeRuntimeApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly byte[] _event;
    private TaskCompletionSource<RuntimeOutcome> _outcome = NewOutcome();
    private Stopwatch _clock = new();
    private int _processId;

    public FakeRuntimeApi(byte[] invocationEvent)
    {
        _event = invocationEvent;
        Port = FreeLoopbackPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

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

    public void Dispose() => _listener.Close();

    private static TaskCompletionSource<RuntimeOutcome> NewOutcome() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var path = context.Request.Url?.AbsolutePath ?? "";
        var response = context.Response;
        if (context.Request.HttpMethod == "GET" && path.EndsWith("/invocation/next", StringComparison.Ordinal))
        {
            if (_outcome.Task.IsCompleted)
            {
                // An environment waiting for its next event: hold the request until the process is stopped.
                return;
            }

            response.Headers["Lambda-Runtime-Aws-Request-Id"] = "bench-request-1";
            response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:bench";
            response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000000";
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(_event).ConfigureAwait(false);
            response.Close();
            return;
        }

        var elapsed = _clock.Elapsed;
        var processId = Volatile.Read(ref _processId);
        var peakRss = processId == 0 ? null : Machine.PeakRssKilobytes(processId);
        using var reader = new StreamReader(context.Request.InputStream);
        var body = await reader.ReadToEndAsync().ConfigureAwait(false);
        response.StatusCode = 202;
        response.Close();
        _outcome.TrySetResult(new RuntimeOutcome(path.EndsWith("/response", StringComparison.Ordinal), elapsed, peakRss, path, body));
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
