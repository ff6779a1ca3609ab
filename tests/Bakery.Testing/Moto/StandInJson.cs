using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime.Credentials;
using Bakery.Core.Aws.Json;

namespace Bakery.Testing.Moto;

/// <summary>
/// Calls to the stand-in's JSON 1.1 services (Secrets Manager, EventBridge) for arranging tests, through the product's
/// own <see cref="AwsJsonClient"/> (no SDK package for them is served): any operation, with JSON in and out.
/// </summary>
public static class StandInJson
{
    private static readonly HttpClient Http = new();

    public static AwsJsonClient Client(AwsJsonService service, string region = "us-east-1")
    {
        var credentials = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        return new AwsJsonClient(Http, service, region, AwsJsonEndpoints.Resolve(service, region, Environment.GetEnvironmentVariable),
            _ => credentials.GetCredentialsAsync());
    }

    /// <summary>Calls <paramref name="operation"/> with <paramref name="request"/> and returns the answer.</summary>
    public static async Task<JsonNode?> CallAsync(AwsJsonService service, string operation, JsonObject request, string region = "us-east-1")
    {
        var node = (JsonTypeInfo<JsonNode>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonNode));
        return await Client(service, region).SendAsync<JsonNode, JsonNode>(operation, request, node, node, CancellationToken.None);
    }
}
