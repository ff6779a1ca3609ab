using System.Text;

namespace Bakery.Functions.Tests.Runtime;

internal sealed record FakeEvent(string RequestId, byte[] Payload, DateTimeOffset? Deadline = null, string? TraceId = null)
{
    public static FakeEvent Json(string requestId, string json, DateTimeOffset? deadline = null, string? traceId = null) =>
        new(requestId, Encoding.UTF8.GetBytes(json), deadline, traceId);
}
