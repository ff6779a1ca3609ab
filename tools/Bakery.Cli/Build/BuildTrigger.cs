using System.Text.Json.Nodes;
using Bakery.Core.Triggers;
using Bakery.Local.StandIn;

namespace Bakery.Cli.Build;

/// <summary>The execution inputs a deployed stack would get for an uploaded build file.</summary>
internal static class BuildTrigger
{
    /// <summary>What S3 sends through EventBridge for a new object (the <c>BuildUploadedRule</c>'s event).</summary>
    public static string S3ObjectCreated(string bucket, string key, long size, string? etag, string? versionId, string region, DateTimeOffset time) =>
        ObjectCreatedEvents.Create(bucket, key, size, etag, versionId, ObjectCreatedEvents.Sequencer(time), region, time);

    /// <summary>
    /// The console shape, for a builder selection (<c>-only</c>/<c>-except</c>) an upload cannot carry. With
    /// <paramref name="buildId"/> the build gets that id (so the caller knows it before Prepare answers).
    /// </summary>
    public static string Console(string bucket, string key, IReadOnlyList<string> only, IReadOnlyList<string> except,
        IReadOnlyList<KeyValuePair<string, string>> vars, string? buildId = null)
    {
        var input = new JsonObject { ["template"] = $"s3://{bucket}/{key}" };
        if (buildId is not null)
        {
            input["buildId"] = buildId;
        }

        if (only.Count > 0)
        {
            input["only"] = new JsonArray([.. only.Select(n => (JsonNode)n)]);
        }

        if (except.Count > 0)
        {
            input["except"] = new JsonArray([.. except.Select(n => (JsonNode)n)]);
        }

        if (vars.Count > 0)
        {
            var values = new JsonObject();
            foreach (var (name, value) in vars)
            {
                values[name] = value;
            }

            input["vars"] = values;
        }

        return input.ToJsonString();
    }

    /// <summary>
    /// The id Prepare will give the build <paramref name="input"/> starts (the same derivation), known before the
    /// execution starts so that an interrupt at any point can find what the build created. A console input must carry
    /// its <c>buildId</c>: without one every start gets a fresh id.
    /// </summary>
    public static string BuildIdOf(string input) => BuildIds.Identify(TriggerNormalizer.Normalize(input), Guid.NewGuid).BuildId;

    /// <summary>
    /// The id Prepare will give the folder build that the upload of <paramref name="bundle"/> to <paramref name="bucket"/> starts:
    /// made of the folder's prefix and the hash of its template and var files' keys, versions and ETags as they were
    /// uploaded (<see cref="FolderContentHash"/>), whichever of the batch's upload events Prepare reads the whole folder for.
    /// </summary>
    public static string FolderBuildIdOf(string bucket, BuildBundle bundle, BundleUpload upload)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(upload);
        var keys = bundle.FolderKeys ?? throw new ArgumentException("not a folder's bundle", nameof(bundle));
        var hash = FolderContentHash.Compute(
            keys.Select(k => (k, upload.Versions[k].VersionId, upload.Versions[k].ETag)),
            key => File.ReadAllBytes(bundle.Files.First(f => f.Key == key).LocalPath!));
        var request = new BuildRequest { Kind = TriggerKind.S3Upload, Bucket = bucket, Key = bundle.Files[^1].Key };
        return BuildIds.Identify(request, Guid.NewGuid, (bundle.FolderKey!, hash)).BuildId;
    }

    /// <summary>A fresh id for a console start of <paramref name="key"/>, shaped as Prepare would make it.</summary>
    public static string NewConsoleBuildId(string bucket, string key) =>
        BuildIds.Identify(new BuildRequest { Kind = TriggerKind.Console, Bucket = bucket, Key = key }, Guid.NewGuid).BuildId;
}
