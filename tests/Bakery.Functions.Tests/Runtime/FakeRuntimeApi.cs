using System.Net;
using System.Threading.Channels;
using Bakery.Local.Lambda;
using Microsoft.AspNetCore.Http;

namespace Bakery.Functions.Tests.Runtime;

/// <summary>
/// A real HTTP Runtime API on loopback for the loop's tests (the local Lambda service's server): hands out the queued
/// events on /next (then keeps the caller waiting), records what comes back on /response, /error and /init/error, and
/// can fail on request.
/// </summary>
internal sealed class FakeRuntimeApi : IRuntimeApiHost, IAsyncDisposable
{
    private readonly Channel<FakeEvent> events = Channel.CreateUnbounded<FakeEvent>();
    private readonly Channel<FakeOutcome> outcomes = Channel.CreateUnbounded<FakeOutcome>();
    private RuntimeApiServer? server;

    private FakeRuntimeApi()
    {
    }

    /// <summary>host:port, as in AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address => server!.Address;

    /// <summary>When set, /next answers with this status instead of an event.</summary>
    public HttpStatusCode? NextStatus { get; set; }

    /// <summary>When set, /next drops the connection.</summary>
    public bool ResetNext { get; set; }

    /// <summary>When set, /response answers with this status.</summary>
    public HttpStatusCode? ResponseStatus { get; set; }

    /// <summary>When set, /response answers 413 to a body over this many bytes, as Lambda's Runtime API does over 6 MB.</summary>
    public int? ResponseLimit { get; set; }

    /// <summary>When set, /error answers with this status (and records nothing).</summary>
    public HttpStatusCode? ErrorStatus { get; set; }

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var fake = new FakeRuntimeApi();
        fake.server = await RuntimeApiServer.StartAsync(fake);
        return fake;
    }

    public void Enqueue(FakeEvent invocation) => events.Writer.TryWrite(invocation);

    public async Task<FakeOutcome> NextOutcomeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await outcomes.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public async Task NextAsync(HttpContext http)
    {
        if (ResetNext)
        {
            http.Abort();
            return;
        }

        if (NextStatus is { } status)
        {
            http.Response.StatusCode = (int)status;
            await http.Response.WriteAsync("{\"errorMessage\":\"fake failure\"}");
            return;
        }

        var next = await events.Reader.ReadAsync(http.RequestAborted);
        await RuntimeApiServer.WriteEventAsync(http, new RuntimeApiEvent(next.RequestId, next.Payload, "arn:aws:lambda:us-east-1:123456789012:function:Test")
        {
            Deadline = next.Deadline,
            TraceId = next.TraceId,
        });
    }

    public Task ResponseAsync(string requestId, byte[] body, HttpContext http) => RecordAsync("response", requestId, body, "", http);

    public Task ErrorAsync(string requestId, byte[] body, string errorType, HttpContext http) => RecordAsync("error", requestId, body, errorType, http);

    public Task InitErrorAsync(byte[] body, string errorType, HttpContext http) => RecordAsync("init/error", null, body, errorType, http);

    private async Task RecordAsync(string kind, string? requestId, byte[] body, string errorType, HttpContext http)
    {
        if (kind == "response" && ResponseStatus is { } status)
        {
            http.Response.StatusCode = (int)status;
            return;
        }

        if (kind == "response" && ResponseLimit is { } limit && body.Length > limit)
        {
            http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await http.Response.WriteAsync($"{{\"errorMessage\":\"Exceeded maximum allowed payload size ({limit} bytes).\",\"errorType\":\"RequestEntityTooLarge\"}}");
            return;
        }

        if (kind == "error" && ErrorStatus is { } refused)
        {
            http.Response.StatusCode = (int)refused;
            return;
        }

        outcomes.Writer.TryWrite(new FakeOutcome(kind, requestId, body, errorType));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
