namespace Bakery.BuildFiles;

/// <summary>
/// The attributes a resolved data source gives the template (<c>value</c>, <c>version</c>, <c>arn</c> for Parameter
/// Store; <c>value</c>, <c>secret_string</c>, <c>secret_binary</c>, <c>version_id</c> for Secrets Manager), all strings.
/// </summary>
/// <param name="Attributes">Attribute name to value.</param>
/// <param name="SensitiveValues">The values to mask wherever the build's text is shown or stored: a secret's values, a SecureString's.</param>
public sealed record DataSourceValue(IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<string> SensitiveValues);
