using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>Builds the shell commands for a <c>file</c> provisioner: uploads by presigned GET, downloads by presigned PUT.</summary>
internal static class FileCommands
{
    /// <summary>One upload: the file's payload and whether it is a folder archive (.tar.gz of the folder's contents).</summary>
    public sealed record Upload(ScriptSource Source, ScriptPayload Payload, bool IsArchive);

    /// <summary>One download: the remote path and the presigned PUT URL it goes to.</summary>
    public sealed record Download(string RemotePath, string Url);

    /// <param name="provisioner">The provisioner.</param>
    /// <param name="uploads">Its sources, staged.</param>
    /// <param name="content">Its <c>content</c> (staged by Prepare), or null.</param>
    public static List<string> BuildUpload(FileProvisioner provisioner, IReadOnlyList<Upload> uploads, ScriptPayload? content = null)
    {
        var destination = provisioner.Destination;
        var commands = new List<string>(ShellQuoting.FetchFunction) { "set -e" };
        content ??= provisioner.Content is { } text ? ScriptPayload.FromText(text) : null;
        if (content is not null)
        {
            var quoted = ShellQuoting.Sh(destination);
            commands.Add($"mkdir -p \"$(dirname {quoted})\"");
            commands.AddRange(ShellQuoting.WriteSh(content, quoted));
        }

        foreach (var upload in uploads)
        {
            var name = Path.GetFileName(upload.Source.BundlePath.TrimEnd('/'));
            if (upload.IsArchive)
            {
                // Packer: "dir/" copies the folder's contents into destination, "dir" the folder itself.
                var target = upload.Source.AsWritten.EndsWith('/') ? destination : $"{destination.TrimEnd('/')}/{name}";
                var quotedTarget = ShellQuoting.Sh(target);
                commands.Add($"mkdir -p {quotedTarget}");
                commands.Add("bakery_archive=$(mktemp)");
                commands.AddRange(ShellQuoting.WriteSh(upload.Payload, "\"$bakery_archive\""));
                commands.Add($"tar -xzf \"$bakery_archive\" -C {quotedTarget}");
                commands.Add("rm -f \"$bakery_archive\"");
            }
            else
            {
                var target = destination.EndsWith('/') ? destination + name : destination;
                var quotedTarget = ShellQuoting.Sh(target);
                commands.Add($"mkdir -p \"$(dirname {quotedTarget})\"");
                commands.AddRange(ShellQuoting.WriteSh(upload.Payload, quotedTarget));
            }
        }

        return commands;
    }

    public static List<string> BuildDownload(IReadOnlyList<Download> downloads)
    {
        var commands = new List<string> { "set -e" };
        foreach (var download in downloads)
        {
            var source = ShellQuoting.Sh(download.RemotePath);
            var url = ShellQuoting.Sh(download.Url);
            // A folder travels as a .tar.gz of its contents.
            commands.Add(
                $"if [ -d {source} ]; then bakery_tmp=$(mktemp); tar -czf \"$bakery_tmp\" -C {source} .; curl -fsS --retry 5 -X PUT -T \"$bakery_tmp\" {url}; rm -f \"$bakery_tmp\"; " +
                $"else curl -fsS --retry 5 -X PUT -T {source} {url}; fi");
        }

        return commands;
    }
}
