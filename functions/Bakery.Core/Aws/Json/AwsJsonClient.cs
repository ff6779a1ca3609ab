using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Amazon.Runtime.Internal.Auth;

namespace Bakery.Core.Aws.Json;

/// <summary>
/// A client for AWS's JSON 1.1 (and 1.0) protocol (Secrets Manager, EventBridge; the CLI's Step Functions): each call is a POST of the request as JSON to
/// the service's endpoint with <c>X-Amz-Target: Prefix.Operation</c>, signed with Signature Version 4 by AWSSDK.Core's
/// own signer and credentials. The feed serves no SDK package for these services; this is the little of one Bakery needs.
/// </summary>
/// <remarks>
/// Errors are thrown as <see cref="AmazonServiceException"/> with the service's error code and HTTP status, so
/// <see cref="AwsErrors"/> and <see cref="AwsRetry"/> treat them as they treat the SDK's: no retries here, one retry
/// layer (<see cref="AwsClients"/>). Network failures surface as <see cref="HttpRequestException"/>, which
/// <see cref="AwsErrors.IsTransient"/> already counts as transient.
/// </remarks>
public sealed class AwsJsonClient
{
    private readonly HttpClient http;
    private readonly AwsJsonService service;
    private readonly string region;
    private readonly Uri endpoint;
    private readonly Func<CancellationToken, Task<ImmutableCredentials>> credentials;
    private readonly TimeProvider timeProvider;

    public AwsJsonClient(
        HttpClient http,
        AwsJsonService service,
        string region,
        Uri endpoint,
        Func<CancellationToken, Task<ImmutableCredentials>> credentials,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credentials);
        this.http = http;
        this.service = service;
        this.region = region;
        this.endpoint = endpoint;
        this.credentials = credentials;
        this.timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The endpoint this client calls (resolved by <see cref="AwsJsonEndpoints"/>).</summary>
    public Uri Endpoint => endpoint;

    /// <summary>Calls <paramref name="operation"/> (e.g. <c>GetSecretValue</c>) and reads its answer.</summary>
    public async Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation, TRequest request, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(responseType);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        using var message = await SignedRequestAsync(operation, body, cancellationToken).ConfigureAwait(false);
        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw AwsJsonErrors.From(service, operation, response, content);
        }

        return (content.Length == 0 ? default : JsonSerializer.Deserialize(content, responseType))
            ?? throw new AmazonServiceException($"{service.Name} {operation} answered without a body.", ErrorType.Unknown, "EmptyResponse", null, response.StatusCode);
    }

    /// <summary>The POST with its SigV4 <c>Authorization</c> header (signed headers: content-type, host, x-amz-date, x-amz-target, and the session token).</summary>
    internal async Task<HttpRequestMessage> SignedRequestAsync(string operation, byte[] body, CancellationToken cancellationToken)
    {
        var identity = await credentials(cancellationToken).ConfigureAwait(false);
        var signedAt = timeProvider.GetUtcNow().UtcDateTime;
        var amzDate = signedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var target = $"{service.TargetPrefix}.{operation}";
        var host = endpoint.IsDefaultPort ? endpoint.Host : $"{endpoint.Host}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        var path = endpoint.AbsolutePath is { Length: > 0 } absolute ? absolute : "/";

        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["content-type"] = service.ContentType,
            ["host"] = host,
            ["x-amz-date"] = amzDate,
            ["x-amz-target"] = target,
        };
        if (identity.UseToken)
        {
            headers["x-amz-security-token"] = identity.Token;
        }

        var signedHeaders = string.Join(';', headers.Keys);
        var canonicalRequest = new StringBuilder()
            .Append("POST\n")
            .Append(path).Append('\n')
            .Append('\n')
            .AppendJoin("", headers.Select(header => $"{header.Key}:{header.Value.Trim()}\n"))
            .Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(body)))
            .ToString();
        var signature = AWS4Signer.ComputeSignature(identity, region, signedAt, service.SigningName, signedHeaders, canonicalRequest);

        var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body), Version = HttpVersion.Version11 };
        message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(service.ContentType);
        message.Headers.TryAddWithoutValidation("X-Amz-Date", amzDate);
        message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        if (identity.UseToken)
        {
            message.Headers.TryAddWithoutValidation("X-Amz-Security-Token", identity.Token);
        }

        message.Headers.TryAddWithoutValidation("Authorization", signature.ForAuthorizationHeader);
        return message;
    }
}
