namespace Bakery.Core.Aws;

/// <summary>A secret's version as GetSecretValue returns it: a string or bytes, never both.</summary>
public sealed record SecretValue(string Arn, string VersionId, string? SecretString, byte[]? SecretBinary);
