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
    private readonly MotoGaps gaps = new();
    private readonly ImageLifecycleGaps lifecycleGaps = new();
    private readonly IAwsCallInterceptor? interceptor;
    private List<RecordedRequest>? recorded;
    private Ec2ThrottlePlan plan;
    private Ec2CapacityPlan capacity = Ec2CapacityPlan.None;
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

    /// <summary>
    /// Starts keeping every request whole (<see cref="RecordedRequest"/>: signer, parameters, the tags of the EC2
    /// resources it names, read from moto just before it is forwarded), for judging them against IAM policies.
    /// </summary>
    public void StartRecording()
    {
        lock (guard)
        {
            recorded = [];
        }
    }

    /// <summary>The requests kept since <see cref="StartRecording"/>, in the order they arrived; empty when not recording.</summary>
    public IReadOnlyList<RecordedRequest> Recorded
    {
        get
        {
            lock (guard)
            {
                return recorded is null ? [] : [.. recorded];
            }
        }
    }

    /// <summary>Test-only: the instance types RunInstances gets no capacity for from now on (<see cref="Ec2CapacityPlan"/>).</summary>
    public void SetCapacity(Ec2CapacityPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (guard)
        {
            capacity = plan;
        }
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
        bool recording;
        lock (guard)
        {
            recording = recorded is not null;
        }

        byte[]? body = null;
        string? action = null;
        string? callKey = null;
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues>? form = null;
        var jsonTarget = request.Headers["X-Amz-Target"].ToString();
        if (request.HasFormContentType
            || ((recording || interceptor is not null) && IsJsonProtocol(request))
            || (recording && request.Query.ContainsKey("delete")))
        {
            // Query API bodies (EC2, IAM, STS), JSON protocol bodies and S3 DeleteObjects lists are small: read them to know
            // the action and to recognize a retry (and, when recording, to keep the parameters).
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }

        if (request.HasFormContentType && body is not null)
        {
            form = QueryHelpers.ParseQuery(Encoding.UTF8.GetString(body));
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

        action ??= jsonTarget.Length > 0 ? jsonTarget : $"{request.Method} {request.Path}";
        var record = recording ? await RecordAsync(http, service, form, body).ConfigureAwait(false) : null;
        var call = new AwsCall { Service = service, Action = action, Body = body, Form = form ?? [] };
        var watched = interceptor is not null && interceptor.Watches(call) ? call : null;
        var sdkAttempt = SdkAttempt(request.Headers["amz-sdk-request"].ToString());
        bool throttle;
        string? noCapacity;
        lock (guard)
        {
            throttle = service == "ec2" && plan.Throttles(++ec2Calls);
            noCapacity = service == "ec2" && form is not null ? capacity.Refuses(form) : null;
        }

        if (request.Path.StartsWithSegments("/moto-api/reset"))
        {
            gaps.Forget();
            lifecycleGaps.Forget();
        }

        int status;
        if (throttle)
        {
            status = StatusCodes.Status503ServiceUnavailable;
            await ThrottleAsync(http).ConfigureAwait(false);
        }
        else if (noCapacity is not null)
        {
            status = StatusCodes.Status500InternalServerError;
            await RefuseCapacityAsync(http, noCapacity).ConfigureAwait(false);
        }
        else if (interceptor is not null && await interceptor.TryAnswerAsync(call, http).ConfigureAwait(false))
        {
            status = http.Response.StatusCode;
        }
        else if (service == "ec2" && form is not null && ImageLifecycleGaps.Answers(form))
        {
            status = await LifecycleAsync(http, form).ConfigureAwait(false);
        }
        else if (service == "ec2" && form is not null && MotoGaps.Applies(form))
        {
            status = await BridgeAsync(http, form, watched).ConfigureAwait(false);
        }
        else if (service == "ec2" && form is not null && MotoGaps.DescribesImages(form))
        {
            var (described, answer) = await SendToMotoAsync(http.Request.Headers.Authorization.ToString(), Encoding.UTF8.GetString(body!), http.RequestAborted)
                .ConfigureAwait(false);
            var region = CredentialScope(http.Request.Headers.Authorization.ToString())?[2] ?? "us-east-1";
            var amended = described == StatusCodes.Status200OK ? lifecycleGaps.Amend(region, form, MotoGaps.WithEbsRootDevices(answer)) : answer;
            status = await AnswerAsync(http, described, amended).ConfigureAwait(false);
        }
        else
        {
            status = await ForwardAsync(http, body, watched).ConfigureAwait(false);
        }

        if (record is not null)
        {
            record.Status = status;
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
            AccessKeyId = CredentialScope(request.Headers.Authorization.ToString())?[0],
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

    /// <summary>
    /// What EC2 answers when the zone has no capacity for the type: InsufficientInstanceCapacity is one of EC2's server
    /// error codes (HTTP 500; "Error codes for the Amazon EC2 API").
    /// </summary>
    private static async Task RefuseCapacityAsync(HttpContext http, string instanceType)
    {
        var requestId = Guid.NewGuid().ToString();
        http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        http.Response.ContentType = "text/xml;charset=UTF-8";
        await http.Response.WriteAsync(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<Response><Errors><Error><Code>InsufficientInstanceCapacity</Code><Message>"
            + System.Security.SecurityElement.Escape($"We currently do not have sufficient {instanceType} capacity in the Availability Zone you requested. Our system will be working on provisioning additional capacity.")
            + $"</Message></Error></Errors><RequestID>{requestId}</RequestID></Response>",
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

    /// <summary>An EC2 call moto would answer differently from AWS, answered as AWS does (see <see cref="MotoGaps"/>).</summary>
    private async Task<int> BridgeAsync(HttpContext http, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form, AwsCall? watched)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var region = CredentialScope(authorization)?[2] ?? "us-east-1";
        if (gaps.Repeated(region, form) is { } repeated)
        {
            return await AnswerAsync(http, StatusCodes.Status200OK, repeated).ConfigureAwait(false);
        }

        var (body, deferred) = MotoGaps.WithoutDeferredTags(form);
        var (status, answer) = await SendToMotoAsync(authorization, body, http.RequestAborted).ConfigureAwait(false);
        if (status == StatusCodes.Status200OK)
        {
            if (deferred.Count > 0 && MotoGaps.ImageIdOf(answer) is { } imageId)
            {
                var (_, described) = await SendToMotoAsync(authorization, MotoGaps.DescribeImage(imageId), http.RequestAborted).ConfigureAwait(false);
                var resources = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
                {
                    ["image"] = [imageId],
                    ["snapshot"] = MotoGaps.SnapshotIdsOf(Encoding.UTF8.GetString(described)),
                };
                foreach (var (type, tags) in deferred)
                {
                    if (tags.Count == 0 || !resources.TryGetValue(type, out var ids) || ids.Count == 0)
                    {
                        continue;
                    }

                    var (tagged, error) = await SendToMotoAsync(authorization, MotoGaps.CreateTags(ids, tags), http.RequestAborted).ConfigureAwait(false);
                    if (tagged != StatusCodes.Status200OK)
                    {
                        throw new InvalidOperationException($"The stand-in could not tag the {type} of {imageId}: {Encoding.UTF8.GetString(error)}");
                    }
                }
            }

            gaps.Remember(region, form, answer);
            if (watched is not null)
            {
                // As in ForwardAsync: the watcher acts before the caller sees the answer (a repeated call is not new).
                await interceptor!.OnAnsweredAsync(watched, status, answer, http.RequestAborted).ConfigureAwait(false);
            }
        }

        return await AnswerAsync(http, status, answer).ConfigureAwait(false);
    }

    /// <summary>An image lifecycle call moto lacks (see <see cref="ImageLifecycleGaps"/>), for an image moto knows.</summary>
    private async Task<int> LifecycleAsync(HttpContext http, Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
    {
        var authorization = http.Request.Headers.Authorization.ToString();
        var region = CredentialScope(authorization)?[2] ?? "us-east-1";
        var imageId = form.TryGetValue("ImageId", out var id) ? id.ToString() : "";
        var (status, described) = await SendToMotoAsync(authorization, MotoGaps.DescribeImage(imageId), http.RequestAborted).ConfigureAwait(false);
        if (status != StatusCodes.Status200OK || !Encoding.UTF8.GetString(described).Contains($"<imageId>{imageId}</imageId>", StringComparison.Ordinal))
        {
            return await AnswerAsync(http, StatusCodes.Status400BadRequest, ImageLifecycleGaps.NotFound(imageId)).ConfigureAwait(false);
        }

        return await AnswerAsync(http, StatusCodes.Status200OK, lifecycleGaps.Apply(region, form, clock.GetUtcNow())).ConfigureAwait(false);
    }

    private async Task<(int Status, byte[] Answer)> SendToMotoAsync(string authorization, string form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Upstream, "/"))
        {
            Content = new StringContent(form, Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        // moto routes by the credential scope and takes the region from it; it does not check the signature.
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var response = await upstream.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<int> AnswerAsync(HttpContext http, int status, byte[] answer)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/xml;charset=UTF-8";
        await http.Response.Body.WriteAsync(answer, http.RequestAborted).ConfigureAwait(false);
        return status;
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

    private static bool IsJsonProtocol(HttpRequest request) =>
        request.Headers["X-Amz-Target"].Count > 0 || (request.ContentType?.StartsWith("application/x-amz-json", StringComparison.Ordinal) ?? false);

    /// <summary>Keeps the request whole for <see cref="Recorded"/>, with the tags its EC2 resources carry now.</summary>
    private async Task<RecordedRequest> RecordAsync(
        HttpContext http, string? service, Dictionary<string, Microsoft.Extensions.Primitives.StringValues>? form, byte[]? body)
    {
        var request = http.Request;
        var scope = CredentialScope(request.Headers.Authorization.ToString());
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Query.Concat(form ?? []))
        {
            parameters[name] = value.ToString();
        }

        var target = request.Headers["X-Amz-Target"].ToString();
        var text = form is null && body is not null ? Encoding.UTF8.GetString(body) : null;
        var json = IsJsonProtocol(request) ? text : null;
        var operation = parameters.GetValueOrDefault("Action") ?? (target.Length > 0 ? target[(target.LastIndexOf('.') + 1)..] : null);
        var accessKey = scope?[0] ?? "";
        var region = scope?[2] ?? "us-east-1";
        var tags = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        var named = ResourceTagLookup.IdsIn(json is null ? parameters.Values : JsonStrings(json)).ToList();
        if (operation == "CopyImage" && parameters.TryGetValue("SourceImageId", out var source))
        {
            // The source image lives in the source region.
            named.Remove(source);
            foreach (var (id, found) in await ResourceTagLookup.TagsAsync(upstream, Upstream, accessKey, parameters.GetValueOrDefault("SourceRegion", region), [source], http.RequestAborted).ConfigureAwait(false))
            {
                tags[id] = found;
            }
        }

        foreach (var (id, found) in await ResourceTagLookup.TagsAsync(upstream, Upstream, accessKey, region, named, http.RequestAborted).ConfigureAwait(false))
        {
            tags[id] = found;
        }

        var record = new RecordedRequest
        {
            AccessKeyId = scope?[0],
            Service = service,
            Region = scope?[2],
            Operation = operation,
            Method = request.Method,
            Path = http.Features.Get<IHttpRequestFeature>()?.RawTarget?.Split('?')[0] ?? request.Path.Value ?? "/",
            Parameters = parameters,
            Body = text,
            ResourceTags = tags,
            CopySource = request.Headers["x-amz-copy-source"].ToString() is { Length: > 0 } copySource ? copySource : null,
        };
        lock (guard)
        {
            recorded?.Add(record);
        }

        return record;
    }

    /// <summary>Every string value in a JSON document (where the JSON protocols name resources).</summary>
    private static IEnumerable<string> JsonStrings(string json)
    {
        System.Text.Json.Nodes.JsonNode? root;
        try
        {
            root = System.Text.Json.Nodes.JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            yield break;
        }

        var pending = new Stack<System.Text.Json.Nodes.JsonNode?>([root]);
        while (pending.TryPop(out var node))
        {
            switch (node)
            {
                case System.Text.Json.Nodes.JsonObject obj:
                    foreach (var (_, child) in obj)
                    {
                        pending.Push(child);
                    }

                    break;
                case System.Text.Json.Nodes.JsonArray array:
                    foreach (var child in array)
                    {
                        pending.Push(child);
                    }

                    break;
                case System.Text.Json.Nodes.JsonValue value when value.TryGetValue<string>(out var text):
                    yield return text;
                    break;
            }
        }
    }

    /// <summary>The parts of a SigV4 credential scope: access key id, date, region, service, <c>aws4_request</c>.</summary>
    private static string[]? CredentialScope(string authorization)
    {
        const string marker = "Credential=";
        var start = authorization.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var end = authorization.IndexOfAny([',', ' '], start);
        var scope = authorization[(start + marker.Length)..(end < 0 ? authorization.Length : end)].Split('/');
        return scope.Length == 5 ? scope : null;
    }

    /// <summary>The service of a SigV4 <c>Authorization</c> header: <c>Credential=KEY/date/region/SERVICE/aws4_request</c>.</summary>
    private static string? CredentialScopeService(string authorization) => CredentialScope(authorization)?[3];

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
