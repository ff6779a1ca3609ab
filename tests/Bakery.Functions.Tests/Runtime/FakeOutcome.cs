using System.Text;
using System.Text.Json;

namespace Bakery.Functions.Tests.Runtime;

/// <summary>What the runtime posted back: kind is response, error or init/error.</summary>
internal sealed record FakeOutcome(string Kind, string? RequestId, byte[] Body, string ErrorTypeHeader)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string ErrorType => JsonDocument.Parse(Body).RootElement.GetProperty("errorType").GetString()!;

    public string ErrorMessage => JsonDocument.Parse(Body).RootElement.GetProperty("errorMessage").GetString()!;
}
