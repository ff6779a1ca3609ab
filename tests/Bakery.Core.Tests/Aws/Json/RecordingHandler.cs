using System.Net;
using System.Text;

namespace Bakery.Core.Tests.Aws.Json;

/// <summary>An HTTP handler that keeps every request (with its body) and answers with the given status and JSON.</summary>
internal sealed class RecordingHandler(HttpStatusCode status, string body, params (string Name, string Value)[] headers) : HttpMessageHandler
{
    public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add((request, request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken)));
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/x-amz-json-1.1") };
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
