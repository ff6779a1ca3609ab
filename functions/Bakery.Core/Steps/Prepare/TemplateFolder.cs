using System.Security.Cryptography;
using System.Text;
using Bakery.Core.Aws;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// A folder of HCL2 template files built as one template, as <c>packer build FOLDER</c> reads it: every
/// <c>*.pkr.hcl</c> and then every <c>*.pkr.json</c> directly in the folder (in name order), with every
/// <c>*.auto.pkrvars.hcl</c> there as var files.
/// </summary>
internal sealed record TemplateFolder(string Prefix, IReadOnlyList<StoredObject> Templates, IReadOnlyList<StoredObject> AutoVarFiles)
{
    /// <summary>
    /// What the folder's build is, as a short hash of every template and var file's key, version and ETag: the uploads
    /// of one batch, each of which starts an execution, see the same files and so claim the same build (the later ones
    /// end as duplicates); uploading again gives new versions (the bucket is versioned) and so a new build.
    /// </summary>
    public string ContentHash
    {
        get
        {
            var text = string.Join('\n', Templates.Concat(AutoVarFiles).OrderBy(o => o.Key, StringComparer.Ordinal)
                .Select(o => $"{o.Key}@{o.VersionId}#{o.ETag ?? Convert.ToHexStringLower(SHA256.HashData(o.Content.Span))}"));
            return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
        }
    }
}
