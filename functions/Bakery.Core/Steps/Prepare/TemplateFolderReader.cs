using Bakery.BuildFiles;
using Bakery.Core.Aws;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Decides whether a build is a folder's and reads that folder: a key ending in '/' (the console's or schedule's
/// <c>"template": "s3://BUCKET/builds/web/"</c>) always names a folder; an uploaded or named <c>.pkr.hcl</c> /
/// <c>.pkr.json</c> whose folder holds other template files is part of that folder's template (Packer reads a
/// folder's files together, so a source in one file and a build in another make one template). A lone template file
/// stays a file build, with its <c>NAME.pkrvars.hcl</c>.
/// </summary>
internal sealed class TemplateFolderReader(IObjectStore objects, AwsRetry retry)
{
    private const string AutoVarFileSuffix = ".auto.pkrvars.hcl";

    /// <summary>The folder's template, or null when <paramref name="key"/> is a build of one file.</summary>
    public async Task<TemplateFolder?> ReadAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bucket);
        ArgumentNullException.ThrowIfNull(key);
        var namesFolder = key.EndsWith('/');
        if (!namesFolder && !BuildFileLoader.IsHcl2(key))
        {
            return null;
        }

        var prefix = BuildFileSource.FolderOf(key);
        var keys = await retry.RunAsync("S3 ListObjectsV2 (template folder)", token => objects.ListKeysAsync(bucket, prefix, token), cancellationToken)
            .ConfigureAwait(false);
        // Packer reads only the folder's own files, not its sub-folders'.
        var own = keys.Where(k => k.Length > prefix.Length && k.IndexOf('/', prefix.Length) < 0).ToList();
        var templates = own.Where(k => k.EndsWith(".pkr.hcl", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal)
            .Concat(own.Where(k => k.EndsWith(".pkr.json", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
            .ToList();
        if (namesFolder && templates.Count == 0)
        {
            throw new BuildInputInvalid(
                $"s3://{bucket}/{key} has no *.pkr.hcl or *.pkr.json files (a folder build reads the template files directly in the folder).");
        }

        if (!namesFolder && templates.Count <= 1)
        {
            return null;
        }

        var autoVarFiles = own.Where(k => k.EndsWith(AutoVarFileSuffix, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).ToList();
        return new TemplateFolder(
            prefix,
            await GetAllAsync(bucket, templates, cancellationToken).ConfigureAwait(false),
            await GetAllAsync(bucket, autoVarFiles, cancellationToken).ConfigureAwait(false));
    }

    private async Task<IReadOnlyList<StoredObject>> GetAllAsync(string bucket, IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        var objectsRead = new List<StoredObject>(keys.Count);
        foreach (var key in keys)
        {
            var stored = await retry.RunAsync("S3 GetObject (template folder)", token => objects.GetAsync(bucket, key, token), cancellationToken)
                .ConfigureAwait(false);
            // Deleted between the listing and the read: the folder is changing, and the upload that changes it starts its own build.
            objectsRead.Add(stored ?? throw new BuildInputInvalid($"s3://{bucket}/{key} disappeared while its folder was read; upload the folder again."));
        }

        return objectsRead;
    }
}
