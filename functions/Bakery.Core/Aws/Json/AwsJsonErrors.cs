using System.Net;
using System.Text.Json;
using Amazon.Runtime;

namespace Bakery.Core.Aws.Json;

/// <summary>
/// Turns a JSON 1.1 error answer into an <see cref="AmazonServiceException"/>: the code is the <c>__type</c> of the body
/// (or the <c>X-Amzn-ErrorType</c> header) without its namespace (<c>com.amazonaws...#Code</c>) or suffix
/// (<c>Code:http://...</c>), the message is the body's <c>message</c> or <c>Message</c>.
/// </summary>
internal static class AwsJsonErrors
{
    public static AmazonServiceException From(AwsJsonService service, string operation, HttpResponseMessage response, byte[] content)
    {
        string? code = null;
        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind != JsonValueKind.String)
                    {
                        continue;
                    }

                    if (property.NameEquals("__type"))
                    {
                        code = property.Value.GetString();
                    }
                    else if (property.Name.Equals("message", StringComparison.OrdinalIgnoreCase))
                    {
                        message = property.Value.GetString();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's page, an HTML 5xx): the status alone says what it was.
        }

        if (code is null && response.Headers.TryGetValues("X-Amzn-ErrorType", out var values))
        {
            code = values.FirstOrDefault();
        }

        code = Shorten(code) ?? (response.StatusCode >= HttpStatusCode.InternalServerError ? "InternalFailure" : "UnknownError");
        var requestId = response.Headers.TryGetValues("x-amzn-RequestId", out var ids) ? ids.FirstOrDefault() : null;
        var errorType = response.StatusCode >= HttpStatusCode.InternalServerError ? ErrorType.Receiver : ErrorType.Sender;
        return new AmazonServiceException(
            $"{service.Name} {operation}: {code}: {message ?? response.ReasonPhrase ?? response.StatusCode.ToString()}", errorType, code, requestId, response.StatusCode);
    }

    internal static string? Shorten(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return null;
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        return (colon >= 0 ? code[..colon] : code).Trim();
    }
}
