namespace Bakery.Core.Aws;

/// <summary>AWS Secrets Manager in one region: the one read HCL2's <c>data "amazon-secretsmanager"</c> needs.</summary>
public interface ISecrets
{
    /// <summary>
    /// A version of the secret (by <paramref name="versionId"/>, else <paramref name="versionStage"/>, else AWSCURRENT).
    /// AWS errors (ResourceNotFoundException, AccessDeniedException) are thrown as they come.
    /// </summary>
    Task<SecretValue> GetValueAsync(string secretId, string? versionId, string? versionStage, CancellationToken cancellationToken);
}
