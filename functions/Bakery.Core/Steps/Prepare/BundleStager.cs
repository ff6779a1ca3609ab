using System.Text;
using System.Text.Json;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Aws;
using Bakery.Core.Bundles;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps.Prepare;

/// <summary>
/// Puts what one build file's instances need under its staging prefix (<c>staging/{buildId}/</c>): the bundle files and
/// folders its provisioners upload (copied by S3, server-side), their inline text, and a plan's real rendering when the
/// state shows it masked. One stager per build file: a file two builders use is staged once.
/// </summary>
internal sealed class BundleStager(IObjectStore objects, AwsRetry retry, LocatedBuildFile buildFile, S3BundleFiles bundle, string stagingPrefix)
{
    private readonly Dictionary<string, string> staged = new(StringComparer.Ordinal);

    private string Bucket => buildFile.Source.Bucket;

    /// <summary>Refuses the build when a file its provisioners upload is not in the bundle, before anything is staged.</summary>
    public void EnsureFilesExist(BuildPlan plan)
    {
        foreach (var reference in ReferencedFiles(plan).Where(reference => bundle.GetKind(reference.BundlePath) == BundleEntryKind.Missing))
        {
            throw NotInBundle(reference);
        }
    }

    /// <summary>Stages <paramref name="plan"/>'s files and inline text, and its real rendering when masking changes it.</summary>
    public async Task<StagedPlan> StageAsync(BuildPlan plan, Redactor redactor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(redactor);
        var keys = await StageFilesAsync(plan, cancellationToken).ConfigureAwait(false);
        var stagedTexts = new List<string>();
        var real = await StageInlineTextAsync(plan, keys, stagedTexts, cancellationToken).ConfigureAwait(false);
        if (stagedTexts.Any(text => redactor.Redact(text) != text))
        {
            // The text left the plan, and with it the masked values Provision and ErrorCleanup recover the secrets
            // from to mask the script's output: the plan keeps the values themselves (masked in the state).
            real = real with { StagedTextSecrets = redactor.Values };
        }

        var masked = PlanRedaction.Redact(real, redactor);
        if (masked != real)
        {
            var renderedKey = PrepareStep.RenderedPlanKey(stagingPrefix, plan.Builder.Name);
            var rendered = JsonSerializer.SerializeToUtf8Bytes(real, PlanRedaction.PlanTypeInfo);
            await retry.RunAsync("S3 PutObject (rendered plan)", token => objects.PutAsync(Bucket, renderedKey, rendered, "application/json", token), cancellationToken)
                .ConfigureAwait(false);
            keys.Add(renderedKey);
        }

        return new StagedPlan(real, masked, keys);
    }

    /// <summary>
    /// Stages the files test_image's scripts name, as a provisioner's are (under the same keys, so the test's commands
    /// fetch them the same way), and adds their keys to <paramref name="staged"/>'s. Their inline commands stay in the
    /// settings: they are small and hold none of the build's variables.
    /// </summary>
    public async Task<StagedPlan> StageTestAsync(StagedPlan staged, IReadOnlyList<Provisioner> testProvisioners, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(staged);
        ArgumentNullException.ThrowIfNull(testProvisioners);
        var testKeys = await StageFilesAsync(staged.Real with { Provisioners = [.. testProvisioners], ErrorCleanupProvisioner = null }, cancellationToken).ConfigureAwait(false);
        return staged with { Keys = [.. staged.Keys, .. testKeys.Where(key => !staged.Keys.Contains(key, StringComparer.Ordinal))] };
    }

    /// <summary>Removes everything under a build's staging prefix (a refusal found after staging leaves nothing behind).</summary>
    public static async Task RemoveAllAsync(IObjectStore objects, AwsRetry retry, string bucket, string stagingPrefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentNullException.ThrowIfNull(retry);
        var keys = await retry.RunAsync("S3 ListObjectsV2 (staged)", token => objects.ListKeysAsync(bucket, stagingPrefix, token), cancellationToken)
            .ConfigureAwait(false);
        if (keys.Count > 0)
        {
            await retry.RunAsync("S3 DeleteObjects (staged)", token => objects.DeleteAsync(bucket, keys, token), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<List<string>> StageFilesAsync(BuildPlan plan, CancellationToken cancellationToken)
    {
        var planKeys = new List<string>();
        foreach (var reference in ReferencedFiles(plan))
        {
            var kind = bundle.GetKind(reference.BundlePath);
            if (kind == BundleEntryKind.Missing)
            {
                throw NotInBundle(reference);
            }

            // A folder is listed by its prefix: its files can be many, and the state carries this list (Teardown expands it).
            var isDirectory = kind == BundleEntryKind.Directory;
            var stagedKey = isDirectory ? Staging.FolderPrefix(stagingPrefix, reference) : Staging.FileKey(stagingPrefix, reference);
            if (!staged.ContainsKey(reference.BundlePath))
            {
                var paths = isDirectory ? bundle.FilesUnder(reference.BundlePath.TrimEnd('/')) : [reference.BundlePath];
                foreach (var path in paths)
                {
                    var from = bundle.KeyOf(path);
                    var to = isDirectory ? stagedKey + path[(reference.BundlePath.TrimEnd('/').Length + 1)..] : stagedKey;
                    // Server-side: S3 copies the bytes, so a file or folder of any size stages within the function's memory and time.
                    var copied = await retry.RunAsync("S3 CopyObject (staging)", token => objects.CopyAsync(Bucket, from, to, token), cancellationToken)
                        .ConfigureAwait(false);
                    if (!copied)
                    {
                        throw new BuildFileInvalid($"{buildFile.Described}: '{reference.AsWritten}' disappeared from the bundle (s3://{Bucket}/{from}).");
                    }
                }

                staged[reference.BundlePath] = stagedKey;
            }

            if (!planKeys.Contains(stagedKey, StringComparer.Ordinal))
            {
                planKeys.Add(stagedKey);
            }
        }

        return planKeys;
    }

    /// <summary>
    /// Puts each provisioner's inline text (inline script lines, a file's content) in S3 under the staging prefix and
    /// leaves only its key in the plan: the state Step Functions carries (256 KiB, twice per build after the Map) and
    /// the SSM command (64 KB) would otherwise hold it. The staged text is the real one; the plan has none left to mask.
    /// </summary>
    private async Task<BuildPlan> StageInlineTextAsync(BuildPlan plan, List<string> planKeys, List<string> texts, CancellationToken cancellationToken)
    {
        var provisioners = new List<Provisioner>(plan.Provisioners.Count);
        foreach (var provisioner in plan.Provisioners)
        {
            provisioners.Add(await StageInlineTextAsync(plan.Builder.Name, provisioner, planKeys, texts, cancellationToken).ConfigureAwait(false));
        }

        var errorCleanup = plan.ErrorCleanupProvisioner is { } cleanup
            ? await StageInlineTextAsync(plan.Builder.Name, cleanup, planKeys, texts, cancellationToken).ConfigureAwait(false)
            : null;
        return plan with { Provisioners = provisioners, ErrorCleanupProvisioner = errorCleanup };
    }

    private async Task<Provisioner> StageInlineTextAsync(
        string builderName, Provisioner provisioner, List<string> planKeys, List<string> texts, CancellationToken cancellationToken)
    {
        var text = provisioner switch
        {
            ShellProvisioner { Inline.Count: > 0 } shell => ShellCommands.InlineScript(shell),
            PowerShellProvisioner { Inline.Count: > 0 } powerShell => PowerShellCommands.InlineScript(powerShell),
            FileProvisioner { Content: { } content } => content,
            _ => null,
        };
        if (text is null)
        {
            return provisioner;
        }

        texts.Add(text);
        var key = Staging.InlineKey(stagingPrefix, builderName, provisioner.Index);
        var bytes = Encoding.UTF8.GetBytes(text);
        await retry.RunAsync("S3 PutObject (inline text)", token => objects.PutAsync(Bucket, key, bytes, "application/octet-stream", token), cancellationToken)
            .ConfigureAwait(false);
        planKeys.Add(key);
        return provisioner switch
        {
            ShellProvisioner shell => shell with { Inline = [], StagedInlineKey = key },
            PowerShellProvisioner powerShell => powerShell with { Inline = [], StagedInlineKey = key },
            FileProvisioner file => file with { Content = null, StagedInlineKey = key },
            _ => provisioner,
        };
    }

    private BuildFileInvalid NotInBundle(ScriptSource reference) =>
        new($"{buildFile.Described}: '{reference.AsWritten}' is not in the bundle (s3://{Bucket}/{bundle.KeyOf(reference.BundlePath)}).");

    /// <summary>Every bundle file a plan's provisioners upload: shell/powershell scripts and <c>file</c> sources.</summary>
    private static IEnumerable<ScriptSource> ReferencedFiles(BuildPlan plan)
    {
        foreach (var provisioner in plan.ProvisionersWithErrorCleanup())
        {
            var sources = provisioner switch
            {
                ShellProvisioner shell => shell.Scripts,
                PowerShellProvisioner powerShell => powerShell.Scripts,
                FileProvisioner { Direction: not "download" } file => file.Sources,
                _ => [],
            };
            foreach (var reference in sources.Where(s => !string.IsNullOrEmpty(s.BundlePath)))
            {
                yield return reference;
            }
        }
    }
}
