using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bakery.Functions.Tests.Runtime;

/// <summary>
/// A real HTTP Runtime API on loopback for the loop's tests: hands out the queued events on /next (then keeps the
/// caller waiting), records what comes back on /response, /error and /init/error, and can fail on request.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly Channel<FakeEvent> events = Channel.CreateUnbounded<FakeEvent>();
    private readonly Channel<FakeOutcome> outcomes = Channel.CreateUnbounded<FakeOutcome>();

    private FakeRuntimeApi(WebApplication app) => this.app = app;

    /// <summary>host:port, as in AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var fake = new FakeRuntimeApi(app);
        app.MapGet("/2018-06-01/runtime/invocation/next", fake.NextAsync);
        app.MapPost("/2018-06-01/runtime/invocation/{id}/response", (string id, HttpContext http) => fake.RecordAsync("response", id, http));
        app.MapPost("/2018-06-01/runtime/invocation/{id}/error", (string id, HttpContext http) => fake.RecordAsync("error", id, http));
        app.MapPost("/2018-06-01/runtime/init/error", (HttpContext http) => fake.RecordAsync("init/error", null, http));
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        fake.Address = $"127.0.0.1:{url.Port}";
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
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task NextAsync(HttpContext http)
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
        http.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
        if (next.Deadline is { } deadline)
        {
            http.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        }

        if (next.TraceId is not null)
        {
            http.Response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
        }

        http.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:Test";
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(next.Payload);
    }

    private async Task RecordAsync(string kind, string? requestId, HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
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

        outcomes.Writer.TryWrite(new FakeOutcome(kind, requestId, body.ToArray(), http.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString()));
        http.Response.StatusCode = StatusCodes.Status202Accepted;
    }
}
