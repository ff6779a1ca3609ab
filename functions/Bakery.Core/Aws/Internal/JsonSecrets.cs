using Bakery.Core.Aws.Json;

namespace Bakery.Core.Aws.Internal;

internal sealed class JsonSecrets(AwsJsonClient client) : ISecrets
{
    public async Task<SecretValue> GetValueAsync(string secretId, string? versionId, string? versionStage, CancellationToken cancellationToken)
    {
        var response = await client.SendAsync(
            "GetSecretValue",
            new GetSecretValueRequest { SecretId = secretId, VersionId = versionId, VersionStage = versionStage },
            AwsJsonContext.Default.GetSecretValueRequest,
            AwsJsonContext.Default.GetSecretValueResponse,
            cancellationToken).ConfigureAwait(false);
        return new SecretValue(response.ARN ?? secretId, response.VersionId ?? "", response.SecretString, response.SecretBinary);
    }
}
