using System.Text;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.Core.Bundles;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;
using Bakery.Core.Triggers;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Loads a build file with its bundle (the files in its folder, its variable files, the files HCL2's file() and
/// templatefile() read) and renders it; refuses it with every problem, file and place, or waits a few seconds for
/// files that may still be uploading.
/// </summary>
internal sealed class BundleLoader(
    IObjectStore objects, AwsRetry retry, TimeProvider timeProvider, PrepareOptions options, Func<TimeSpan, CancellationToken, Task> delay,
    DataSourceLookup dataSources)
{
    /// <summary>How many times a load may stop for files HCL2's file()/templatefile() read (templatefile may name another file).</summary>
    private const int MaxFileReadRounds = 8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <param name="request">The trigger.</param>
    /// <param name="buildFile">The build file, or a folder's first template file.</param>
    /// <param name="folder">
    /// A folder's template: its other files are loaded with <paramref name="buildFile"/>, and its <c>*.auto.pkrvars.hcl</c>
    /// are var files before the first template's <c>NAME.vars.json</c> (where the console's and the CLI's values travel);
    /// no <c>NAME.pkrvars.hcl</c>, which Packer does not read for a folder either.
    /// </param>
    /// <param name="cancellationToken">Cancels the load.</param>
    public async Task<LoadedBundle> LoadAsync(BuildRequest request, LocatedBuildFile buildFile, TemplateFolder? folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(buildFile);
        var source = buildFile.Source;
        var waitUntil = timeProvider.GetUtcNow() + options.MissingFileWait;
        // Bounded by count as well as by the clock, so a clock that does not move cannot make this spin.
        var pollsLeft = (int)Math.Ceiling(options.MissingFileWait / options.MissingFilePoll);
        var varFileKey = VarFileKeyOf(source.Key);
        var pkrVarsKey = folder is null ? PkrVarsKeyOf(source.Key) : null;
        IReadOnlyList<VarFile> moreFiles = folder is null ? [] : [.. folder.Templates.Skip(1).Select(t => new VarFile(t.Key, t.Content))];
        IReadOnlyList<VarFile> autoVarFiles = folder is null ? [] : [.. folder.AutoVarFiles.Select(f => new VarFile(f.Key, f.Content))];
        // HCL2's file()/templatefile() read bundle files while the template is evaluated, which the engine does
        // synchronously: a load notes the files it wanted, they are downloaded, and the template is loaded again. Each
        // round downloads at least one new file, and a template's reads are finite, so this ends; the cap is for safety.
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var readRoundsLeft = MaxFileReadRounds;
        // HCL2 data sources are read the same way: a load lists what it asks for, Prepare reads it, the template is loaded again.
        var dataValues = new Dictionary<string, DataSourceValue>(StringComparer.Ordinal);
        var dataRoundsLeft = MaxFileReadRounds;
        IReadOnlyList<string>? keys = null;
        while (true)
        {
            keys ??= await retry.RunAsync("S3 ListObjectsV2 (bundle)", token => objects.ListKeysAsync(source.Bucket, source.Prefix, token), cancellationToken)
                .ConfigureAwait(false);
            var bundle = new S3BundleFiles(source.Prefix, keys, texts);
            var varFiles = new List<VarFile>(autoVarFiles);
            foreach (var key in (IEnumerable<string?>)[pkrVarsKey, varFileKey])
            {
                if (key is not null && keys.Contains(key, StringComparer.Ordinal)
                    && await retry.RunAsync("S3 GetObject (var file)", token => objects.GetAsync(source.Bucket, key, token), cancellationToken).ConfigureAwait(false)
                        is { } varFile)
                {
                    varFiles.Add(new VarFile(key, varFile.Content));
                }
            }

            var result = new BuildFileLoader(timeProvider).Load(new BuildFileInput
            {
                Path = source.Key,
                Content = buildFile.File.Content,
                MoreFiles = moreFiles,
                Vars = [.. request.Vars],
                VarFiles = varFiles,
                Only = request.Only,
                Except = request.Except,
                Files = bundle,
                DataSources = dataValues,
            });
            if (bundle.PendingReads.Count > 0 && readRoundsLeft-- > 0)
            {
                await DownloadTextsAsync(source, bundle, texts, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (result.DataRequests.Count > 0 && dataRoundsLeft-- > 0)
            {
                await dataSources.LookUpAsync(buildFile.Described, result.DataRequests, dataValues, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (result.IsValid && result.Definition!.Builds.Count > 0)
            {
                EnsureManifestOutputsInBundle(source, result.Definition);
                return new LoadedBundle(result, bundle);
            }

            var varFileExpected = varFileKey is not null && varFiles.Count == 0;
            if (!MayStillArrive(result, bundle, varFileExpected) || pollsLeft-- <= 0 || timeProvider.GetUtcNow() >= waitUntil)
            {
                throw Invalid(source, result, bundle);
            }

            await delay(options.MissingFilePoll, cancellationToken).ConfigureAwait(false);
            keys = null;
        }
    }

    /// <summary>
    /// The sibling variable file (<c>NAME.vars.json</c>) is part of the bundle whatever started the build, so values never
    /// need to travel in an execution input (which Step Functions keeps in its history); a console's own vars still win
    /// over it. An HCL2 template reads it too (as JSON values), after its <c>NAME.pkrvars.hcl</c>.
    /// </summary>
    public static string? VarFileKeyOf(string buildFileKey) =>
        BuildFileLoader.IsHcl2(buildFileKey) || buildFileKey.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? BuildFileLoader.Stem(buildFileKey) + S3BundleFiles.VariableFileSuffix
            : null;

    /// <summary>An HCL2 template's <c>NAME.pkrvars.hcl</c> beside it.</summary>
    public static string? PkrVarsKeyOf(string buildFileKey) =>
        BuildFileLoader.IsHcl2(buildFileKey) ? BuildFileLoader.Stem(buildFileKey) + ".pkrvars.hcl" : null;

    /// <summary>
    /// Whether waiting could change the answer: only a file that may still be uploading (a referenced file, or the
    /// sibling variable file when a variable's value is what is wrong) is worth waiting for; every other error is final.
    /// Decided on the diagnostics' codes, never on their wording.
    /// </summary>
    public static bool MayStillArrive(BuildFileResult result, S3BundleFiles bundle, bool varFileExpected)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(bundle);
        return bundle.MissingPaths.Count > 0
            || (varFileExpected && result.Errors.Any(error => error.Code is DiagnosticCode.VariableHasNoValue or DiagnosticCode.VariableValueInvalid));
    }

    private async Task DownloadTextsAsync(BuildSource source, S3BundleFiles bundle, Dictionary<string, string> texts, CancellationToken cancellationToken)
    {
        foreach (var path in bundle.PendingReads.Order(StringComparer.Ordinal).ToList())
        {
            var key = bundle.KeyOf(path);
            var stored = await retry.RunAsync("S3 GetObject (file read by the template)", token => objects.GetAsync(source.Bucket, key, token), cancellationToken)
                .ConfigureAwait(false)
                ?? throw new BuildFileInvalid($"s3://{source.Bucket}/{source.Key}: '{path}', which the template reads, disappeared from the bundle (s3://{source.Bucket}/{key}).");
            // Packer's file() refuses bytes that are not UTF-8 (filebase64 is the way for those); so does Bakery.
            try
            {
                texts[path] = StrictUtf8.GetString(stored.Content.Span);
            }
            catch (DecoderFallbackException)
            {
                throw new BuildFileInvalid(
                    $"s3://{source.Bucket}/{source.Key}: '{path}', which the template reads with file() or templatefile(), is not UTF-8 text.");
            }
        }
    }

    private static void EnsureManifestOutputsInBundle(BuildSource source, BuildDefinition definition)
    {
        foreach (var output in definition.Builds.SelectMany(plan => plan.PostProcessors).Select(manifest => manifest.Output).Distinct(StringComparer.Ordinal))
        {
            if (BundlePath.Combine("/", output) is not { Length: > 0 })
            {
                throw new BuildFileInvalid(
                    $"s3://{source.Bucket}/{source.Key}: manifest output '{output}' leaves the build's folder ({source.Prefix}); write it beside the build file.");
            }
        }
    }

    private static BuildFileInvalid Invalid(BuildSource source, BuildFileResult result, S3BundleFiles bundle)
    {
        var errors = result.Errors.Count == 0
            ? ["the build file selects no builds"]
            : result.Errors.Select(error => result.Redactor.Redact(error.ToString()));
        errors = errors.Concat(bundle.RefusedPaths.Order(StringComparer.Ordinal).Select(path =>
            $"'{path}' is a variable file: a build never reads *{S3BundleFiles.VariableFileSuffix} files as files (they hold builds' values); " +
            $"its own {Path.GetFileNameWithoutExtension(source.Key)}{S3BundleFiles.VariableFileSuffix} beside it is read as its variables."));
        return new BuildFileInvalid(
            $"s3://{source.Bucket}/{source.Key} is not a valid build file:\n  {string.Join("\n  ", errors)}");
    }
}
