using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>Builds the shell commands for a <c>file</c> provisioner: uploads by presigned GET, downloads by presigned PUT.</summary>
internal static class FileCommands
{
    /// <summary>One download: the remote path and the presigned PUT URL it goes to.</summary>
    public sealed record Download(string RemotePath, string Url);

    /// <summary>One file upload: the file's payload.</summary>
    public sealed record Upload(ScriptSource Source, ScriptPayload Payload);

    /// <summary>
    /// Where a folder source lands on the instance. Packer: "dir/" copies the folder's contents into destination,
    /// "dir" the folder itself.
    /// </summary>
    public static string FolderTarget(FileProvisioner provisioner, ScriptSource source)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        ArgumentNullException.ThrowIfNull(source);
        var name = Path.GetFileName(source.BundlePath.TrimEnd('/'));
        return source.AsWritten.EndsWith('/') ? provisioner.Destination : $"{provisioner.Destination.TrimEnd('/')}/{name}";
    }

    /// <summary>A line of a folder transfer list: the file's path on the instance (base64, so any name survives <c>read</c>) and its GET URL.</summary>
    public static string TransferLine(string remotePath, string url) =>
        $"{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(remotePath))} {url}";

    /// <param name="provisioner">The provisioner.</param>
    /// <param name="files">Its file sources, staged.</param>
    /// <param name="folderTargets">Where its folder sources land (each made even when empty).</param>
    /// <param name="folderList">The transfer list of its folders' files (lines of <see cref="TransferLine"/>), or null.</param>
    /// <param name="content">Its <c>content</c> (staged by Prepare), or null.</param>
    public static List<string> BuildUpload(
        FileProvisioner provisioner, IReadOnlyList<Upload> files, IReadOnlyList<string> folderTargets, ScriptPayload? folderList, ScriptPayload? content = null)
    {
        ArgumentNullException.ThrowIfNull(provisioner);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(folderTargets);
        var destination = provisioner.Destination;
        var commands = new List<string>(ShellQuoting.FetchFunction) { "set -e" };
        content ??= provisioner.Content is { } text ? ScriptPayload.FromText(text) : null;
        if (content is not null)
        {
            var quoted = ShellQuoting.Sh(destination);
            commands.Add($"mkdir -p \"$(dirname {quoted})\"");
            commands.AddRange(ShellQuoting.WriteSh(content, quoted));
        }

        // Every file is fetched by its own GET straight to its place (curl streams it to disk): nothing is buffered or
        // archived on either side, so a file of any size S3 holds arrives, limited only by the instance's disk.
        foreach (var file in files)
        {
            var name = Path.GetFileName(file.Source.BundlePath.TrimEnd('/'));
            var target = destination.EndsWith('/') ? destination + name : destination;
            var quotedTarget = ShellQuoting.Sh(target);
            commands.Add($"mkdir -p \"$(dirname {quotedTarget})\"");
            commands.AddRange(ShellQuoting.WriteSh(file.Payload, quotedTarget));
        }

        foreach (var target in folderTargets)
        {
            commands.Add($"mkdir -p {ShellQuoting.Sh(target)}");
        }

        if (folderList is not null)
        {
            // The list is fetched first, with every URL in it (minted when the command was sent), then each file.
            commands.Add("bakery_list=$(mktemp)");
            commands.AddRange(ShellQuoting.WriteSh(folderList, "\"$bakery_list\""));
            commands.Add(
                "while read -r bakery_path bakery_url; do bakery_file=$(printf '%s' \"$bakery_path\" | base64 -d; printf x); bakery_file=${bakery_file%x}; " +
                "mkdir -p \"$(dirname \"$bakery_file\")\"; bakery_fetch \"$bakery_url\" \"$bakery_file\" || exit 97; done < \"$bakery_list\"");
            commands.Add("rm -f \"$bakery_list\"");
        }

        return commands;
    }

    /// <summary>
    /// Defines <c>bakery_fits FILE NAME</c>: fails, saying why, when FILE is larger than one presigned PUT may carry
    /// (S3 takes at most 5 GiB in a single PUT; a larger object needs a multipart upload, which a single URL cannot do).
    /// </summary>
    public static string FitsFunction =>
        $"bakery_fits() {{ bakery_size=$(wc -c < \"$1\"); [ \"$bakery_size\" -le {AwsLimits.S3SinglePutBytes} ] || {{ echo \"bakery: download of $2: $bakery_size bytes to send, " +
        $"but S3 takes at most {AwsLimits.S3SinglePutBytes} bytes (5 GiB) in one PUT; split it on the instance (e.g. split -b 4G) and download the pieces\" >&2; return 1; }}; }}";

    public static List<string> BuildDownload(IReadOnlyList<Download> downloads)
    {
        ArgumentNullException.ThrowIfNull(downloads);
        var commands = new List<string> { "set -e", FitsFunction };
        foreach (var download in downloads)
        {
            var source = ShellQuoting.Sh(download.RemotePath);
            var url = ShellQuoting.Sh(download.Url);
            // A folder travels as a .tar.gz of its contents, made on the instance's disk: S3 needs the length of a PUT up front.
            commands.Add(
                $"if [ -d {source} ]; then bakery_tmp=$(mktemp); tar -czf \"$bakery_tmp\" -C {source} .; bakery_fits \"$bakery_tmp\" {source} || exit 98; " +
                $"curl -fsS --retry 5 -X PUT -T \"$bakery_tmp\" {url}; rm -f \"$bakery_tmp\"; " +
                $"else bakery_fits {source} {source} || exit 98; curl -fsS --retry 5 -X PUT -T {source} {url}; fi");
        }

        return commands;
    }
}
