using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bakery.EndToEnd.Tests.Secrets;

/// <summary>
/// An SSM endpoint for the functions (<c>AWS_ENDPOINT_URL_SSM</c>, the SDK's standard per-service setting) that passes
/// every call on to moto and answers GetCommandInvocation as if <see cref="EchoingInstance"/> had run the command: its
/// output and, for a script with <c>exit N</c>, a failure with that exit code. Stand-in only, for the secrets tests.
/// </summary>
internal sealed class EchoingSsmEndpoint : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient moto;
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>> sent = new(StringComparer.Ordinal);

    private EchoingSsmEndpoint(WebApplication app, Uri motoEndpoint)
    {
        this.app = app;
        moto = new HttpClient { BaseAddress = motoEndpoint };
    }

    /// <summary>The endpoint's address, for <c>AWS_ENDPOINT_URL_SSM</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>How many GetCommandInvocation answers carried echoed output: proves the functions came through here.</summary>
    public int EchoedInvocations => echoed;

    private int echoed;

    public static async Task<EchoingSsmEndpoint> StartAsync(Uri motoEndpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var endpoint = new EchoingSsmEndpoint(app, motoEndpoint);
        app.Run(endpoint.ForwardAsync);
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        endpoint.Endpoint = new Uri($"http://127.0.0.1:{address.Port}");
        return endpoint;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        moto.Dispose();
    }

    private async Task ForwardAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), http.Request.Path + http.Request.QueryString)
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        foreach (var (name, values) in http.Request.Headers)
        {
            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
            else if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        using var response = await moto.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        var target = http.Request.Headers["X-Amz-Target"].ToString();
        if (response.IsSuccessStatusCode)
        {
            content = target switch
            {
                "AmazonSSM.SendCommand" => Remember(content),
                "AmazonSSM.GetCommandInvocation" => Echo(content),
                _ => content,
            };
        }

        http.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers)
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[name] = values.ToArray();
            }
        }

        http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/x-amz-json-1.1";
        await http.Response.WriteAsync(content);
    }

    private string Remember(string content)
    {
        var command = JsonNode.Parse(content)?["Command"];
        if (command?["CommandId"]?.GetValue<string>() is { } commandId && command["Parameters"]?["commands"] is JsonArray commands)
        {
            sent[commandId] = [.. commands.Select(line => line!.GetValue<string>())];
        }

        return content;
    }

    private string Echo(string content)
    {
        var invocation = JsonNode.Parse(content)!.AsObject();
        if (invocation["CommandId"]?.GetValue<string>() is not { } commandId || !sent.TryGetValue(commandId, out var commands))
        {
            return content;
        }

        var (stdout, stderr, exitCode) = EchoingInstance.Run(commands);
        invocation["StandardOutputContent"] = stdout;
        invocation["StandardErrorContent"] = stderr;
        invocation["ResponseCode"] = exitCode;
        if (exitCode != 0)
        {
            invocation["Status"] = "Failed";
            invocation["StatusDetails"] = "Failed";
        }

        Interlocked.Increment(ref echoed);
        return invocation.ToJsonString();
    }
}
