using System.Text.Json;

namespace Bakery.Local.Lambda.Internal;

/// <summary>What an invoke answers: the payload, and for errors the <c>X-Amz-Function-Error</c> value.</summary>
internal sealed record InvocationResult(byte[] Payload, string? FunctionError)
{
    public static InvocationResult Success(byte[] payload) => new(payload, null);

    public static InvocationResult Unhandled(byte[] errorDocument) => new(errorDocument, "Unhandled");

    public static InvocationResult Unhandled(string errorType, string errorMessage) =>
        new(JsonSerializer.SerializeToUtf8Bytes(new LambdaErrorDocument(errorType, errorMessage)), "Unhandled");

    private sealed record LambdaErrorDocument(
        [property: System.Text.Json.Serialization.JsonPropertyName("errorType")] string ErrorType,
        [property: System.Text.Json.Serialization.JsonPropertyName("errorMessage")] string ErrorMessage);
}
