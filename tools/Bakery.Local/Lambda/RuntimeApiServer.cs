using System.Globalization;
using System.Net;
using Bakery.Core.Lambda;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bakery.Local.Lambda;

/// <summary>
/// The Lambda Runtime API over HTTP on a loopback port of its own: its four routes, its headers and request bodies.
/// The one server behind the local Lambda service, the runtime loop's tests and the cold-start benchmark; what each
/// call means is the <see cref="IRuntimeApiHost"/>'s.
/// </summary>
public sealed class RuntimeApiServer : IAsyncDisposable
{
    // Above Lambda's 6 MB limit, so an oversized response arrives whole and the host can refuse it as Lambda does.
    private const long MaxRequestBodyBytes = 64 * 1024 * 1024;
    private readonly WebApplication app;

    private RuntimeApiServer(WebApplication app, string address)
    {
        this.app = app;
        Address = address;
    }

    /// <summary>host:port, as the runtime finds it in <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; }

    public static async Task<RuntimeApiServer> StartAsync(IRuntimeApiHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
        });
        var app = builder.Build();
        const string prefix = LambdaRuntimeApi.PathPrefix;
        app.MapGet($"{prefix}/invocation/next", host.NextAsync);
        app.MapPost($"{prefix}/invocation/{{id}}/response", async (string id, HttpContext http) =>
            await host.ResponseAsync(id, await ReadBodyAsync(http).ConfigureAwait(false), http).ConfigureAwait(false));
        app.MapPost($"{prefix}/invocation/{{id}}/error", async (string id, HttpContext http) =>
            await host.ErrorAsync(id, await ReadBodyAsync(http).ConfigureAwait(false), ErrorType(http), http).ConfigureAwait(false));
        app.MapPost($"{prefix}/init/error", async (HttpContext http) =>
            await host.InitErrorAsync(await ReadBodyAsync(http).ConfigureAwait(false), ErrorType(http), http).ConfigureAwait(false));
        await app.StartAsync().ConfigureAwait(false);
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new RuntimeApiServer(app, $"127.0.0.1:{url.Port}");
    }

    /// <summary>Answers <c>/invocation/next</c> with <paramref name="invocation"/>: its headers, then its payload.</summary>
    public static async Task WriteEventAsync(HttpContext http, RuntimeApiEvent invocation)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(invocation);
        var headers = http.Response.Headers;
        headers[LambdaRuntimeApi.RequestIdHeader] = invocation.RequestId;
        if (invocation.Deadline is { } deadline)
        {
            headers[LambdaRuntimeApi.DeadlineMsHeader] = deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        }

        headers[LambdaRuntimeApi.InvokedFunctionArnHeader] = invocation.InvokedFunctionArn;
        if (invocation.TraceId is not null)
        {
            headers[LambdaRuntimeApi.TraceIdHeader] = invocation.TraceId;
        }

        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(invocation.Payload, http.RequestAborted).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static string ErrorType(HttpContext http) => http.Request.Headers[LambdaRuntimeApi.FunctionErrorTypeHeader].ToString();

    private static async Task<byte[]> ReadBodyAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted).ConfigureAwait(false);
        return body.ToArray();
    }
}
