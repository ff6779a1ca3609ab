namespace Bakery.Core.Aws;

/// <summary>An SSM parameter as HCL2's <c>data "amazon-parameterstore"</c> reads it: value, version, ARN and type.</summary>
public sealed record ParameterRead(string Value, long Version, string Arn, string Type)
{
    /// <summary>A SecureString's value is a secret (decrypted or not).</summary>
    public bool IsSecure => Type == "SecureString";
}
