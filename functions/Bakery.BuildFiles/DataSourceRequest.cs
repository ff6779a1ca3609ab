namespace Bakery.BuildFiles;

/// <summary>
/// A value an HCL2 template's <c>data "amazon-parameterstore"</c> or <c>data "amazon-secretsmanager"</c> block asks for,
/// with its arguments evaluated. The engine does not call AWS: whoever loads the template (Prepare, with the build's
/// credentials) looks the value up and loads again with it in <see cref="BuildFileInput.DataSources"/>.
/// </summary>
public sealed record DataSourceRequest
{
    public const string ParameterStore = "amazon-parameterstore";
    public const string SecretsManager = "amazon-secretsmanager";

    /// <summary><see cref="ParameterStore"/> or <see cref="SecretsManager"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The block's second label.</summary>
    public required string Label { get; init; }

    /// <summary>Where the block is, <c>FILE:LINE:COL</c>, for messages about the lookup.</summary>
    public required string Place { get; init; }

    /// <summary>The parameter's name or the secret's name or ARN (the <c>name</c> argument).</summary>
    public required string Name { get; init; }

    /// <summary>The <c>region</c> argument; null: the build's own region.</summary>
    public string? Region { get; init; }

    /// <summary>Parameter Store: <c>with_decryption</c> (a SecureString's value is decrypted).</summary>
    public bool WithDecryption { get; init; }

    /// <summary>Secrets Manager: <c>key</c>, the field of a JSON secret <c>value</c> holds.</summary>
    public string? Key { get; init; }

    /// <summary>Secrets Manager: <c>version_id</c> (wins over <see cref="VersionStage"/>).</summary>
    public string? VersionId { get; init; }

    /// <summary>Secrets Manager: <c>version_stage</c>; null means AWSCURRENT.</summary>
    public string? VersionStage { get; init; }

    /// <summary>The key of <see cref="BuildFileInput.DataSources"/> this request's value goes under: <c>TYPE.LABEL</c>.</summary>
    public string Id => $"{Type}.{Label}";
}
