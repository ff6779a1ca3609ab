namespace Bakery.Core.Aws.Json;

/// <summary>
/// The endpoint a JSON-protocol call goes to, found the way the AWS SDKs find it for their own clients: the
/// service-specific <c>AWS_ENDPOINT_URL_&lt;SERVICE_ID&gt;</c>, then the global <c>AWS_ENDPOINT_URL</c> (both unless
/// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true), then the service's regional endpoint.
/// </summary>
public static class AwsJsonEndpoints
{
    public const string GlobalVariable = "AWS_ENDPOINT_URL";
    public const string IgnoreVariable = "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS";

    public static Uri Resolve(AwsJsonService service, string region, Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentNullException.ThrowIfNull(getVariable);
        if (!string.Equals(getVariable(IgnoreVariable)?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var name in (string[])[$"{GlobalVariable}_{service.EnvironmentServiceId}", GlobalVariable])
            {
                if (getVariable(name) is { } configured && !string.IsNullOrWhiteSpace(configured))
                {
                    return Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri)
                        ? uri
                        : throw new InvalidOperationException($"{name} is not an absolute URL: '{configured}'.");
                }
            }
        }

        // The partitions' DNS suffixes (AWS General Reference, "Service endpoints").
        var suffix = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{suffix}/");
    }
}
