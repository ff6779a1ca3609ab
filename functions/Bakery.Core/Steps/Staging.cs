using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps;

/// <summary>
/// Where files for the instance live in S3, under the build's staging prefix (in the build's bucket). This is the
/// contract between Prepare, which stages, and Provision, which hands the instance presigned URLs.
/// </summary>
public static class Staging
{
    /// <summary>A staged script or file: <c>{prefix}files/{BundlePath}</c>.</summary>
    public static string FileKey(string stagingPrefix, ScriptSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"{stagingPrefix}files/{source.BundlePath}";
    }

    /// <summary>A staged folder, archived by Prepare as a .tar.gz of the folder's contents: <c>{prefix}files/{BundlePath}.tar.gz</c>.</summary>
    public static string DirectoryArchiveKey(string stagingPrefix, ScriptSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return $"{stagingPrefix}files/{source.BundlePath.TrimEnd('/')}.tar.gz";
    }

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
    /// and <c>stderr</c>. Teardown leaves it; the bucket's staging lifecycle rule expires it.
    /// </summary>
    public static string LogsPrefix(string stagingPrefix, string builderName, int provisionerIndex) =>
        $"{stagingPrefix}logs/{Uri.EscapeDataString(builderName)}/{provisionerIndex}";

    /// <summary>Every provisioner log of a build: <c>{prefix}logs/</c>.</summary>
    public static string AllLogsPrefix(string stagingPrefix) => $"{stagingPrefix}logs/";

    /// <summary>Where the instance PUTs downloads; Teardown keeps everything under it.</summary>
    public static string DownloadsPrefix(string stagingPrefix) => $"{stagingPrefix}downloads/";
}
