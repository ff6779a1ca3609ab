using System.Text;
using Bakery.BuildFiles;
using Bakery.Core.Aws;
using Bakery.Core.Configuration;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// Reads what an HCL2 template's <c>data "amazon-parameterstore"</c> and <c>data "amazon-secretsmanager"</c> blocks ask
/// for, with the role Prepare runs with, before the template is evaluated with the values (as Packer reads data sources
/// before the build). Names outside what the stack grants (<see cref="BakeryConfiguration.DataParameterPath"/>,
/// <see cref="BakeryConfiguration.DataSecretPrefix"/>) are refused before any call, with the way to grant them.
/// </summary>
internal sealed class DataSourceLookup(IAwsServices aws, AwsRetry retry, BakeryConfiguration configuration)
{
    public const string GrantHelp = "docs/security.md#data-sources";

    /// <summary>Looks up every request into <paramref name="values"/> (by <see cref="DataSourceRequest.Id"/>).</summary>
    public async Task LookUpAsync(string buildFile, IReadOnlyList<DataSourceRequest> requests, Dictionary<string, DataSourceValue> values, CancellationToken cancellationToken)
    {
        foreach (var request in requests)
        {
            var region = request.Region ?? configuration.Region
                ?? throw new BuildFileInvalid($"{buildFile}: {Describe(request)} needs a region: region = \"us-east-1\".");
            values[request.Id] = request.Type == DataSourceRequest.ParameterStore
                ? await ReadParameterAsync(buildFile, request, region, cancellationToken).ConfigureAwait(false)
                : await ReadSecretAsync(buildFile, request, region, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<DataSourceValue> ReadParameterAsync(string buildFile, DataSourceRequest request, string region, CancellationToken cancellationToken)
    {
        var path = configuration.DataParameterPath;
        if (path is not null && !ParameterPathOf(request.Name).StartsWith(path, StringComparison.Ordinal))
        {
            throw new BuildFileInvalid(
                $"{buildFile}: {Describe(request)} reads the parameter \"{request.Name}\", outside {path}, the path this Bakery stack may read " +
                $"parameters under (its DataParameterPath). Keep the parameter under {path}, or deploy the stack with a DataParameterPath " +
                $"that covers it ({GrantHelp}).");
        }

        var parameters = aws.Parameters(region);
        var read = await Read(buildFile, request, region, "SSM GetParameter (data source)",
            token => parameters.ReadAsync(request.Name, request.WithDecryption, token), cancellationToken).ConfigureAwait(false)
            ?? throw new BuildFileInvalid($"{buildFile}: {Describe(request)}: there is no parameter \"{request.Name}\" in {region}.");
        return new DataSourceValue(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["value"] = read.Value,
                ["version"] = read.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["arn"] = read.Arn,
            },
            read.IsSecure ? [read.Value] : []);
    }

    private async Task<DataSourceValue> ReadSecretAsync(string buildFile, DataSourceRequest request, string region, CancellationToken cancellationToken)
    {
        var prefix = configuration.DataSecretPrefix;
        if (prefix is not null && !SecretNameOf(request.Name).StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new BuildFileInvalid(
                $"{buildFile}: {Describe(request)} reads the secret \"{request.Name}\", whose name does not start with {prefix}, the prefix of the " +
                $"secrets this Bakery stack may read (its DataSecretPrefix). Name the secret {prefix}..., or deploy the stack with a " +
                $"DataSecretPrefix that covers it ({GrantHelp}).");
        }

        var secrets = aws.Secrets(region);
        var secret = await Read(buildFile, request, region, "Secrets Manager GetSecretValue (data source)",
            token => secrets.GetValueAsync(request.Name, request.VersionId, request.VersionId is null ? request.VersionStage ?? "AWSCURRENT" : null, token)!,
            cancellationToken).ConfigureAwait(false)
            ?? throw new BuildFileInvalid($"{buildFile}: {Describe(request)}: there is no secret \"{request.Name}\" in {region}.");
        var text = secret.SecretString ?? "";
        var binary = BinaryText(buildFile, request, secret.SecretBinary);
        string value;
        try
        {
            // A binary secret has no secret string, and the plugin's value is then empty (it reads only the string).
            value = secret.SecretString is not null ? SecretValues.ValueOf(text, request.Key) : "";
        }
        catch (InvalidOperationException problem)
        {
            throw new BuildFileInvalid($"{buildFile}: {Describe(request)}: {problem.Message}.");
        }

        return new DataSourceValue(
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["value"] = value,
                ["secret_string"] = text,
                ["secret_binary"] = binary,
                ["version_id"] = secret.VersionId,
            },
            [value, text, binary, .. SecretValues.FieldsOf(text)]);
    }

    /// <summary>
    /// <c>secret_binary</c> as the amazon plugin gives it: the secret's bytes as they are, as a string (its
    /// <c>datasource/secretsmanager/data.go</c> converts the decoded <c>SecretBinary</c> with <c>string(...)</c>; the
    /// "Base64 encoded" of its documentation describes the API's wire form, not the attribute). Packer's strings may hold
    /// any bytes; a build's text here is UTF-8 (Step Functions state, SSM commands), so bytes that are not UTF-8 are refused
    /// with the way round instead of being changed.
    /// </summary>
    internal static string BinaryText(string buildFile, DataSourceRequest request, byte[]? bytes)
    {
        if (bytes is null)
        {
            return "";
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new BuildFileInvalid(
                $"{buildFile}: {Describe(request)}: the secret's SecretBinary is not UTF-8 text, and Bakery carries a build's values as " +
                $"text. Store it base64-encoded as a SecretString and decode it with base64decode(...) where it is used, or " +
                $"store it as UTF-8.");
        }
    }

    /// <summary>One read: transient errors retried; a missing parameter or secret is null; a refusal says what to grant.</summary>
    private async Task<T?> Read<T>(string buildFile, DataSourceRequest request, string region, string operation, Func<CancellationToken, Task<T?>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await retry.RunAsync(operation, call, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (AwsErrors.HasCode(error, "ResourceNotFoundException"))
        {
            return null;
        }
        catch (Exception error) when (AwsErrors.HasCode(error, ["AccessDeniedException", "AccessDenied", "KMS.AccessDeniedException", "DecryptionFailure"]))
        {
            throw new BuildFileInvalid(
                $"{buildFile}: {Describe(request)}: Bakery may not read \"{request.Name}\" in {region} ({error.Message}). Its role reads parameters " +
                $"under the stack's DataParameterPath and secrets named with its DataSecretPrefix, encrypted with AWS managed keys; a customer " +
                $"managed KMS key must allow kms:Decrypt to the Prepare function's role ({GrantHelp}).");
        }
    }

    private static string Describe(DataSourceRequest request) => $"data.{request.Type}.{request.Label} ({request.Place})";

    /// <summary>A parameter's path as IAM sees it: an ARN's part after <c>parameter</c>, a name without a leading slash with one.</summary>
    internal static string ParameterPathOf(string name)
    {
        if (name.StartsWith("arn:", StringComparison.Ordinal) && name.IndexOf(":parameter", StringComparison.Ordinal) is >= 0 and var at)
        {
            name = name[(at + ":parameter".Length)..];
        }

        return name.StartsWith('/') ? name : "/" + name;
    }

    /// <summary>A secret's name: an ARN's part after <c>secret:</c> (with its random suffix, which a prefix check ignores).</summary>
    internal static string SecretNameOf(string name) =>
        name.StartsWith("arn:", StringComparison.Ordinal) && name.IndexOf(":secret:", StringComparison.Ordinal) is >= 0 and var at
            ? name[(at + ":secret:".Length)..]
            : name;
}
