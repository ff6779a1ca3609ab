using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Bakery.Core.Lambda;

namespace Bakery.Functions.Runtime;

/// <summary>The Runtime API over HTTP at <c>AWS_LAMBDA_RUNTIME_API</c> (host:port).</summary>
internal sealed class RuntimeApiClient : IRuntimeApiClient, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http;

    public RuntimeApiClient(string runtimeApi)
    {
        // No client timeout: /next blocks for as long as the function is idle (Lambda freezes us there).
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false, UseCookies = false })
        {
            BaseAddress = new Uri($"http://{runtimeApi}{LambdaRuntimeApi.PathPrefix}/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<Invocation> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "invocation/next"), cancellationToken).ConfigureAwait(false);
        var requestId = Header(response, LambdaRuntimeApi.RequestIdHeader)
            ?? throw new RuntimeApiException($"GET invocation/next answered without a {LambdaRuntimeApi.RequestIdHeader} header");
        var deadline = Header(response, LambdaRuntimeApi.DeadlineMsHeader) is { } ms
            && long.TryParse(ms, NumberStyles.Integer, CultureInfo.InvariantCulture, out var unixMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs)
            : (DateTimeOffset?)null;
        byte[] payload;
        try
        {
            payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RuntimeApiException($"Reading the event from the Runtime API failed: {ex.Message}", ex);
        }

        return new Invocation
        {
            RequestId = requestId,
            Deadline = deadline,
            InvokedFunctionArn = Header(response, LambdaRuntimeApi.InvokedFunctionArnHeader),
            TraceId = Header(response, LambdaRuntimeApi.TraceIdHeader),
            Payload = payload,
        };
    }

    public async Task SendResponseAsync(string requestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        var content = new ReadOnlyMemoryContent(response);
        content.Headers.ContentType = Json;
        using var request = new HttpRequestMessage(HttpMethod.Post, $"invocation/{Uri.EscapeDataString(requestId)}/response") { Content = content };
        using var answer = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendErrorAsync(string requestId, RuntimeError error, CancellationToken cancellationToken)
    {
        using var request = ErrorRequest($"invocation/{Uri.EscapeDataString(requestId)}/error", error);
        using var answer = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public async Task SendInitErrorAsync(RuntimeError error, CancellationToken cancellationToken)
    {
        using var request = ErrorRequest("init/error", error);
        using var answer = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => http.Dispose();

    private static HttpRequestMessage ErrorRequest(string path, RuntimeError error)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(error, RuntimeJsonContext.Default.RuntimeError));
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(LambdaRuntimeApi.FunctionErrorTypeHeader, error.ErrorType);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var what = $"{request.Method} {request.RequestUri}";
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new RuntimeApiException($"The Runtime API at {http.BaseAddress} could not be reached ({what}): {ex.Message}", ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            var status = response.StatusCode;
            response.Dispose();
            throw new RuntimeApiException($"The Runtime API answered {(int)status} {status} to {what}", status);
        }

        return response;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
