using System.Diagnostics;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Bakery.Local.StepFunctions;

namespace Bakery.Local.StandIn;

/// <summary>
/// Many bakes of one build folder started at once on a stand-in, each from its own upload, as many users (or one busy
/// bucket) would start them: the benchmark's scale run and the end-to-end test of concurrent builds share it.
/// Bake <c>i</c> gets its own copy of the folder under <c>{keyPrefix}-{i}/</c> whose <c>ami_name</c> carries
/// <c>{keyPrefix}-{i}</c>: bakes started in the same second would otherwise ask for the same AMI name, which AWS (and the
/// AmiNameInUse check) refuses, as Packer would. Each execution gets the S3 Object Created event of its own upload.
/// </summary>
public sealed class ConcurrentBakes(IAmazonS3 s3, string bucket, string region, StateMachineRunner runner)
{
    /// <summary>Uploads <paramref name="count"/> copies of <paramref name="folder"/>, then starts every bake at once and waits for all.</summary>
    /// <param name="folder">A build file and the files it references (top level only).</param>
    /// <param name="buildFileName">The build file's name in <paramref name="folder"/>.</param>
    /// <param name="keyPrefix">Each copy goes under <c>builds/{keyPrefix}-{i}/</c>.</param>
    public async Task<ConcurrentBakesResult> RunAsync(string folder, string buildFileName, int count, string keyPrefix, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var inputs = new List<(string Key, string Input)>();
        for (var i = 0; i < count; i++)
        {
            inputs.Add(await UploadAsync(folder, buildFileName, $"{keyPrefix}-{i}", cancellationToken).ConfigureAwait(false));
        }

        var clock = Stopwatch.StartNew();
        var bakes = await Task.WhenAll(inputs.Select((input, index) => BakeAsync(index, input.Key, input.Input, cancellationToken))).ConfigureAwait(false);
        return new ConcurrentBakesResult { Bakes = bakes, WallMs = clock.Elapsed.TotalMilliseconds };
    }

    /// <summary>The name a copy's <c>ami_name</c> gets: <paramref name="marker"/> before the timestamp (or at the end).</summary>
    public static string MarkAmiName(string amiName, string marker)
    {
        ArgumentNullException.ThrowIfNull(amiName);
        const string timestamp = "{{timestamp}}";
        var at = amiName.IndexOf(timestamp, StringComparison.Ordinal);
        return at < 0 ? $"{amiName}-{marker}" : $"{amiName[..at]}{marker}.{amiName[at..]}";
    }

    private async Task<(string Key, string Input)> UploadAsync(string folder, string buildFileName, string name, CancellationToken cancellationToken)
    {
        var prefix = $"builds/{name}/";
        foreach (var file in Directory.EnumerateFiles(folder).Where(f => Path.GetFileName(f) != buildFileName))
        {
            await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = prefix + Path.GetFileName(file), FilePath = file }, cancellationToken)
                .ConfigureAwait(false);
        }

        // The build file last, as `bakery build` uploads it: its upload is what starts the build.
        var buildFile = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, buildFileName), cancellationToken).ConfigureAwait(false))!;
        foreach (var builder in buildFile["builders"]?.AsArray() ?? [])
        {
            if (builder?["ami_name"]?.GetValue<string>() is { } amiName)
            {
                builder["ami_name"] = MarkAmiName(amiName, name);
            }
        }

        var key = prefix + buildFileName;
        var body = buildFile.ToJsonString();
        var put = await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body }, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var input = ObjectCreatedEvents.Create(bucket, key, System.Text.Encoding.UTF8.GetByteCount(body), put.ETag, put.VersionId,
            ObjectCreatedEvents.Sequencer(now), region, now);
        return (key, input);
    }

    private async Task<ConcurrentBake> BakeAsync(int index, string key, string input, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var result = await runner.RunAsync(input, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ConcurrentBake { Index = index, Key = key, Result = result, WallMs = clock.Elapsed.TotalMilliseconds };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new ConcurrentBake { Index = index, Key = key, RunnerError = $"{ex.GetType().Name}: {ex.Message}", WallMs = clock.Elapsed.TotalMilliseconds };
        }
    }
}
