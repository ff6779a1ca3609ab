using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Bakery.Core.Tests.Aws.Json;

/// <summary>
/// Recomputes a request's Signature Version 4 from what was sent, following AWS's published algorithm step by step
/// (canonical request, string to sign, the HMAC key chain), independently of the SDK signer the client uses.
/// </summary>
internal static class SigV4Verifier
{
    public static string ExpectedAuthorization(HttpRequestMessage request, byte[] body, string accessKey, string secretKey, string region, string service)
    {
        var amzDate = request.Headers.GetValues("X-Amz-Date").Single();
        var date = amzDate[..8];
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = request.RequestUri!.IsDefaultPort ? request.RequestUri.Host : $"{request.RequestUri.Host}:{request.RequestUri.Port}",
            ["content-type"] = request.Content!.Headers.ContentType!.ToString(),
        };
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("X-Amz-", StringComparison.OrdinalIgnoreCase)))
        {
            headers[header.Key.ToLowerInvariant()] = header.Value.Single().Trim();
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonical = $"POST\n{request.RequestUri.AbsolutePath}\n\n{string.Concat(headers.Select(h => $"{h.Key}:{h.Value}\n"))}\n{signedHeaders}\n{Hex(SHA256.HashData(body))}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var toSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, toSign));
        return string.Create(CultureInfo.InvariantCulture, $"AWS4-HMAC-SHA256 Credential={accessKey}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
