using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps;

/// <summary>
/// Where files for the instance live in S3, under the build's staging prefix (in the build's bucket). This is the
/// contract between Prepare, which stages, and Provision, which hands the instance presigned URLs.
/// </summary>
public static class Staging
{
    /// <summary>A build's staging prefix: <c>staging/{buildId}/</c>.</summary>
    public static string BuildPrefix(string buildId) => $"staging/{buildId}/";

    /// <summary>A staged script or file: <c>{prefix}files/{BundlePath}</c>.</summary>
    public static string FileKey(string stagingPrefix, ScriptSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"{stagingPrefix}files/{source.BundlePath}";
    }

    /// <summary>
    /// A staged folder: each of its files is copied (server-side) to <c>{prefix}files/{BundlePath}/{file}</c>, so this is
    /// the prefix they share. No archive is made: no file's bytes pass through a function (memory, time, /tmp), and a
    /// folder of any size S3 holds stages.
    /// </summary>
    public static string FolderPrefix(string stagingPrefix, ScriptSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"{stagingPrefix}files/{source.BundlePath.TrimEnd('/')}/";
    }

    /// <summary>
    /// The list of a folder upload's files, each with its presigned GET URL, that Provision writes for the instance to
    /// fetch (one line per file; the command would not hold a large folder's URLs): <c>{prefix}transfers/{builder}/{index}</c>.
    /// </summary>
    public static string TransferListKey(string stagingPrefix, string builderName, int provisionerIndex) =>
        $"{stagingPrefix}transfers/{Uri.EscapeDataString(builderName)}/{provisionerIndex}";

    /// <summary>
    /// A provisioner's inline text (an inline script, a file's content), staged so neither the bake state nor the SSM
    /// command has to carry it: <c>{prefix}inline/{builder}/{index}</c>. Outside <c>files/</c>, so no bundle path can
    /// collide with it.
    /// </summary>
    public static string InlineKey(string stagingPrefix, string builderName, int provisionerIndex) =>
        $"{stagingPrefix}inline/{Uri.EscapeDataString(builderName)}/{provisionerIndex}";

    /// <summary>
    /// Where SSM writes a provisioner's full command output (SendCommand's OutputS3KeyPrefix):
    /// <c>{prefix}logs/{builder}/{index}</c>, under which SSM puts <c>/{commandId}/{instanceId}/{plugin}/{step}/stdout</c>
    /// and <c>stderr</c>. Neither Teardown nor the janitor removes it (`bakery status BUILD --log` reads it after the build); the bucket's
    /// expire-staging lifecycle rule does, after StagingRetentionDays.
    /// </summary>
    public static string LogsPrefix(string stagingPrefix, string builderName, int provisionerIndex) =>
        $"{stagingPrefix}logs/{Uri.EscapeDataString(builderName)}/{provisionerIndex}";

    /// <summary>Every provisioner log of a build: <c>{prefix}logs/</c>.</summary>
    public static string AllLogsPrefix(string stagingPrefix) => $"{stagingPrefix}logs/";

    /// <summary>Where the instance PUTs downloads; Teardown keeps everything under it.</summary>
    public static string DownloadsPrefix(string stagingPrefix) => $"{stagingPrefix}downloads/";
}
