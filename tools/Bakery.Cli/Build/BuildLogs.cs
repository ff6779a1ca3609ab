using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Core.Steps;

namespace Bakery.Cli.Build;

/// <summary>
/// <c>bakery status BUILD --log</c>: the full output of every provisioner command, as the SSM agent wrote it to S3
/// (SendCommand's OutputS3KeyPrefix, <see cref="Staging.LogsPrefix"/>), streamed object by object so a log of any size
/// prints without being held. While a build runs this is what was written so far: the agent uploads a command's
/// output when the command ends.
/// </summary>
internal static class BuildLogs
{
    /// <summary>Writes every log of <paramref name="buildId"/>; returns how many commands had one.</summary>
    public static async Task<int> WriteAsync(IAmazonS3 s3, string bucket, string buildId, TextWriter output, CancellationToken cancellationToken)
    {
        var prefix = Staging.AllLogsPrefix(Staging.BuildPrefix(buildId));
        var objects = new List<S3Object>();
        string? continuation = null;
        do
        {
            var page = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = continuation }, cancellationToken).ConfigureAwait(false);
            objects.AddRange(page.S3Objects ?? []);
            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);

        // {builder}/{index}/{commandId}/{instanceId}/{plugin}/{step}/stdout|stderr
        var streams = objects
            .Select(o => (Object: o, Parts: o.Key[prefix.Length..].Split('/')))
            .Where(e => e.Parts.Length >= 5 && e.Parts[^1] is "stdout" or "stderr" && int.TryParse(e.Parts[1], out _))
            .ToList();
        var commands = streams
            .GroupBy(e => (Builder: Uri.UnescapeDataString(e.Parts[0]), Index: int.Parse(e.Parts[1], System.Globalization.CultureInfo.InvariantCulture), CommandId: e.Parts[2]))
            // Builders side by side in name order; a provisioner's retries in the order they ran.
            .OrderBy(g => g.Key.Builder, StringComparer.Ordinal)
            .ThenBy(g => g.Key.Index)
            .ThenBy(g => g.Min(e => e.Object.LastModified ?? DateTime.MinValue))
            .ToList();
        var buffer = new char[16 * 1024];
        foreach (var command in commands)
        {
            output.WriteLine($"==> {command.Key.Builder}: provisioners[{command.Key.Index}], command {command.Key.CommandId}");
            var ordered = command
                .OrderBy(e => string.Join('/', e.Parts[3..^1]), StringComparer.Ordinal)
                .ThenBy(e => e.Parts[^1] == "stdout" ? 0 : 1);
            foreach (var (stored, parts) in ordered)
            {
                if (parts[^1] == "stderr")
                {
                    output.WriteLine($"--- standard error ({string.Join('/', parts[4..^1])}) ---");
                }

                using var response = await s3.GetObjectAsync(bucket, stored.Key, cancellationToken).ConfigureAwait(false);
                using var reader = new StreamReader(response.ResponseStream);
                var endsWithNewline = true;
                int read;
                while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    endsWithNewline = buffer[read - 1] == '\n';
                }

                if (!endsWithNewline)
                {
                    output.WriteLine();
                }
            }
        }

        return commands.Count;
    }
}
