using System.Text.Json;

namespace Bakery.Core.Bake;

/// <summary>
/// Reads a Step Functions error cause as people read it. When a Lambda task fails, the cause is the function's error
/// document (<c>{"errorType","errorMessage",...}</c>); when a Pass or Fail state of the workflow sets it, it is the
/// text itself.
/// </summary>
public static class LambdaErrorCause
{
    /// <summary>The error document's <c>errorMessage</c>, or the cause as it is when it is not one; null when there is no cause.</summary>
    public static string? MessageOf(string? cause)
    {
        if (string.IsNullOrEmpty(cause))
        {
            return null;
        }

        if (!cause.TrimStart().StartsWith('{'))
        {
            return cause;
        }

        try
        {
            using var document = JsonDocument.Parse(cause);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errorMessage", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not an error document after all: the text as it is.
        }

        return cause;
    }
}
