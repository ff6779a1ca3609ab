using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bakery.Local.Aws;

/// <summary>
/// A fault-injecting HTTP proxy between the AWS SDK and the AWS stand-in (moto): point <c>AWS_ENDPOINT_URL</c> at
/// <see cref="Endpoint"/>. It forwards every request unchanged (Host included, bodies streamed), except that EC2 Query
/// API calls selected by the <see cref="Ec2ThrottlePlan"/> get EC2's real throttling answer, HTTP 503 with
/// <c>RequestLimitExceeded</c>, and never reach moto. Every request is logged (<see cref="Calls"/>), so a test can
/// read how the caller backed off. An <see cref="IAwsCallInterceptor"/> (the local instances) may answer calls itself and
/// watch moto's answers. Part of the stand-in only.
/// </summary>
public sealed class Ec2ThrottlingProxy : IAsyncDisposable
{
    private const string Ec2ApiVersion = "2016-11-15";
    private const int MaxLoggedCalls = 100_000;

    // Connection-level headers belong to one hop; Expect is answered by this side (Kestrel sends the 100 Continue).
    private static readonly HashSet<string> HopByHopHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Expect", "Host",
    };

    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private readonly TimeProvider clock;
    private readonly Lock guard = new();
    private readonly List<ProxiedCall> calls = [];
    private readonly IAwsCallInterceptor? interceptor;
    private Ec2ThrottlePlan plan;
    private long ec2Calls;

    private Ec2ThrottlingProxy(WebApplication app, Uri upstreamEndpoint, Ec2ThrottlePlan plan, TimeProvider clock, IAwsCallInterceptor? interceptor)
    {
        this.app = app;
        this.interceptor = interceptor;
        this.plan = plan;
        this.clock = clock;
        Upstream = upstreamEndpoint;
        upstream = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>Where callers send their requests, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Where requests are forwarded (moto).</summary>
    public Uri Upstream { get; }

    public Ec2ThrottlePlan Plan
    {
        get
        {
            lock (guard)
            {
                return plan;
            }
        }
    }

    /// <summary>Every request since the plan was last set, in the order they were answered.</summary>
    public IReadOnlyList<ProxiedCall> Calls
    {
        get
        {
            lock (guard)
            {
                return [.. calls];
            }
        }
    }

    public static async Task<Ec2ThrottlingProxy> StartAsync(
        Uri upstream, Ec2ThrottlePlan plan, int port = 0, TimeProvider? clock = null, IAwsCallInterceptor? interceptor = null)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(plan);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        var web = builder.Build();
        var proxy = new Ec2ThrottlingProxy(web, new Uri(upstream.GetLeftPart(UriPartial.Authority)), plan, clock ?? TimeProvider.System, interceptor);
        web.Run(proxy.HandleAsync);
        await web.StartAsync().ConfigureAwait(false);
        var address = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        proxy.Endpoint = new Uri($"http://127.0.0.1:{address.Port}");
        return proxy;
    }

    /// <summary>Replaces the plan, counts EC2 calls from 1 again and clears the log.</summary>
    public void SetPlan(Ec2ThrottlePlan newPlan)
    {
        ArgumentNullException.ThrowIfNull(newPlan);
        lock (guard)
        {
            plan = newPlan;
            ec2Calls = 0;
            calls.Clear();
        }
    }

    /// <summary>
    /// The waits between each throttled EC2 call and the next attempt of the same call (same <see cref="ProxiedCall.CallKey"/>),
    /// in the order they happened.
    /// </summary>
    public IReadOnlyList<RetryGap> RetryGaps() => RetryGapsOf(Calls);

    /// <summary>As <see cref="RetryGaps()"/>, over any log.</summary>
    public static IReadOnlyList<RetryGap> RetryGapsOf(IEnumerable<ProxiedCall> log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var gaps = new List<RetryGap>();
        var waiting = new Dictionary<string, (ProxiedCall Throttled, int InARow)>(StringComparer.Ordinal);
        foreach (var call in log.Where(c => c.CallKey is not null).OrderBy(c => c.Arrived))
        {
            var key = call.CallKey!;
            var inARow = 0;
            if (waiting.Remove(key, out var previous))
            {
                inARow = previous.InARow;
                gaps.Add(new RetryGap { Action = call.Action, Retry = inARow, Delay = call.Arrived - previous.Throttled.Answered });
            }

            if (call.Throttled)
            {
                waiting[key] = (call, inARow + 1);
            }
        }

        return gaps;
    }

    /// <summary>One line for people: how many EC2 calls were throttled and how the retries waited.</summary>
    public string Summary()
    {
        var log = Calls;
        var ec2 = log.Count(c => c.IsEc2);
        var throttled = log.Count(c => c.Throttled);
        var gaps = RetryGapsOf(log);
        var waits = gaps.Count == 0
            ? "no retries seen"
            : string.Create(CultureInfo.InvariantCulture,
                $"{gaps.Count} retries waited {gaps.Min(g => g.Delay).TotalMilliseconds:0}-{gaps.Max(g => g.Delay).TotalMilliseconds:0} ms");
        return $"EC2 throttling ({Plan}): {throttled} of {ec2} EC2 calls answered RequestLimitExceeded; {waits}";
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var arrived = clock.GetUtcNow();
        var request = http.Request;
        var service = CredentialScopeService(request.Headers.Authorization.ToString());
        byte[]? body = null;
        string? action = null;
        string? callKey = null;
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues>? fields = null;
        if (request.HasFormContentType)
        {
            // Query API bodies (EC2, IAM, STS) are small: read them to know the action and to recognize a retry.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
            var form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
            fields = form;
            action = form.TryGetValue("Action", out var named) ? named.ToString() : null;
            if (service is null && action is not null && form.TryGetValue("Version", out var version) && version == Ec2ApiVersion)
            {
                service = "ec2";
            }

            if (service == "ec2")
            {
                callKey = Encoding.UTF8.GetString(body);
            }
        }

        var jsonTarget = request.Headers["X-Amz-Target"].ToString();
        if (body is null && jsonTarget.Length > 0 && interceptor is not null)
        {
            // JSON protocol calls (SSM) are small too: the interceptor reads them.
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        action ??= jsonTarget.Length > 0 ? jsonTarget : $"{request.Method} {request.Path}";
        var call = new AwsCall { Service = service, Action = action, Body = body, Form = fields ?? [] };
        var sdkAttempt = SdkAttempt(request.Headers["amz-sdk-request"].ToString());
        bool throttle;
        lock (guard)
        {
            throttle = service == "ec2" && plan.Throttles(++ec2Calls);
        }

        int status;
        if (throttle)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            await ThrottleAsync(http).ConfigureAwait(false);
        }
        else if (interceptor is not null && await interceptor.TryAnswerAsync(call, http).ConfigureAwait(false))
        {
            status = http.Response.StatusCode;
        }
        else
        {
            status = await ForwardAsync(http, body, interceptor is not null && interceptor.Watches(call) ? call : null).ConfigureAwait(false);
        }

        Record(new ProxiedCall
        {
            Arrived = arrived,
            Answered = clock.GetUtcNow(),
            Service = service,
            Action = action,
            Throttled = throttle,
            Status = status,
            CallKey = callKey,
            SdkAttempt = sdkAttempt,
        });
    }

    /// <summary>What EC2 itself answers when an account goes over its API request rate.</summary>
    private static async Task ThrottleAsync(HttpContext http)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.ContentType = "text/xml;charset=UTF-8";
        await http.Response.WriteAsync(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors>"
            + $"<RequestID>{requestId}</RequestID></Response>",
            http.RequestAborted).ConfigureAwait(false);
    }

    private async Task<int> ForwardAsync(HttpContext http, byte[]? bufferedBody, AwsCall? watched)
    {
        var request = http.Request;
        // The target exactly as the caller sent it: S3 keys must reach moto with the caller's own escaping.
        var target = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path + request.QueryString;
        using var outgoing = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(Upstream, target));
        if (bufferedBody is not null)
        {
            outgoing.Content = new ByteArrayContent(bufferedBody);
        }
        else if (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            outgoing.Content = new StreamContent(request.Body);
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHopHeaders.Contains(name)
                || (bufferedBody is not null && name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            if (!outgoing.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                outgoing.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        // SigV4 signed the Host the caller used (this proxy); moto does not check signatures but reads Host for S3.
        outgoing.Headers.Host = request.Host.Value;

        HttpResponseMessage answer;
        try
        {
            answer = await upstream.SendAsync(outgoing, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted).ConfigureAwait(false);
        }
        catch (HttpRequestException error)
        {
            http.Response.StatusCode = StatusCodes.Status502BadGateway;
            await http.Response.WriteAsync($"The AWS stand-in at {Upstream} could not be reached: {error.Message}", http.RequestAborted).ConfigureAwait(false);
            return StatusCodes.Status502BadGateway;
        }

        using (answer)
        {
            http.Response.StatusCode = (int)answer.StatusCode;
            foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
            {
                if (!HopByHopHeaders.Contains(name))
                {
                    http.Response.Headers[name] = values.ToArray();
                }
            }

            if (watched is not null)
            {
                // The watcher acts on moto's answer before the caller sees it (an image's files exist when its id is returned).
                var response = await answer.Content.ReadAsByteArrayAsync(http.RequestAborted).ConfigureAwait(false);
                await interceptor!.OnAnsweredAsync(watched, (int)answer.StatusCode, response, http.RequestAborted).ConfigureAwait(false);
                await http.Response.Body.WriteAsync(response, http.RequestAborted).ConfigureAwait(false);
                return (int)answer.StatusCode;
            }

            await answer.Content.CopyToAsync(http.Response.Body, http.RequestAborted).ConfigureAwait(false);
            return (int)answer.StatusCode;
        }
    }

    private void Record(ProxiedCall call)
    {
        lock (guard)
        {
            if (calls.Count < MaxLoggedCalls)
            {
                calls.Add(call);
            }
        }
    }

    /// <summary>The service of a SigV4 <c>Authorization</c> header: <c>Credential=KEY/date/region/SERVICE/aws4_request</c>.</summary>
    private static string? CredentialScopeService(string authorization)
    {
        const string marker = "Credential=";
        var start = authorization.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = authorization.IndexOfAny([',', ' '], start);
        var scope = authorization[(start + marker.Length)..(end < 0 ? authorization.Length : end)].Split('/');
        return scope.Length == 5 ? scope[3] : null;
    }

    /// <summary>The attempt number of the SDK's <c>amz-sdk-request: attempt=1; max=3</c> header.</summary>
    private static int? SdkAttempt(string header)
    {
        foreach (var part in header.Split(';', StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("attempt=", StringComparison.Ordinal)
                && int.TryParse(part["attempt=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
            {
                return attempt;
            }
        }

        return null;
    }
}
