namespace Bakery.Core.Aws;

/// <summary>The SSM Parameter Store calls PublishParameter makes, in one region.</summary>
public interface IParameters
{
    /// <summary>The parameter's current value and version, or null when there is no such parameter.</summary>
    Task<ParameterValue?> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The parameter as a template's data source reads it (a SecureString decrypted when <paramref name="withDecryption"/>),
    /// or null when there is no such parameter. Other AWS errors (AccessDeniedException) are thrown as they come.
    /// </summary>
    Task<ParameterRead?> ReadAsync(string name, bool withDecryption, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="imageId"/> as a <c>String</c> parameter with the <c>aws:ec2:image</c> data type, overwriting
    /// the current value (SSM keeps it as an earlier version); returns the new version.
    /// </summary>
    Task<long> PutImageIdAsync(string name, string imageId, string description, CancellationToken cancellationToken);

    /// <summary>Every value the parameter held, oldest first (SSM keeps the last 100 versions).</summary>
    Task<IReadOnlyList<string>> GetHistoryAsync(string name, CancellationToken cancellationToken);

    /// <summary>Deletes the parameter with its history; a missing parameter is not an error.</summary>
    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
