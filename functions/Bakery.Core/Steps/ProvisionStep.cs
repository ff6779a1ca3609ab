using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bakery.Core.Aws;
using Bakery.Core.Bake;
using Bakery.BuildFiles;
using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps;

/// <summary>
/// Runs the provisioners one at a time through SSM Run Command. Each call either sends the command for the
/// provisioner at <see cref="ProvisioningInfo.Index"/> (after pause_before) or checks the one in flight; a success,
/// or an exit code in valid_exit_codes, moves on; max_retries re-sends; a failure raises
/// <see cref="ProvisionerFailed"/> with the exit code and the output tail. When the state's plan holds masked
/// sensitive values, the command is built from the plan Prepare rendered with the real values, and everything that
/// goes back into the state or a message (output tails included: a script may echo a secret) is masked again.
/// </summary>
public sealed class ProvisionStep(IAwsServices aws, AwsRetry retry, TimeProvider time) : IBakeStep
{
    /// <summary>Scripts up to this size travel inside the command; larger ones by presigned URL.</summary>
    internal const int InlineLimitBytes = 16 * 1024;
    /// <summary>What all scripts inlined in one command may add up to, well under SSM's 64 KB document (base64 adds a third).</summary>
    internal const int InlineBudgetBytes = 32 * 1024;
    internal const int OutputTailChars = 4096;
    internal const int ErrorTailChars = 2048;

    /// <summary>
    /// How long a presigned URL handed to the instance is asked to live. A command fetches everything it needs when it
    /// starts (ShellCommands, PowerShellCommands, FileCommands), so a URL must outlive only the command's delivery:
    /// SendCommand's delivery timeout (TimeoutSeconds) defaults to 3600 s. Asking for more would not help: a URL signed
    /// with the function's temporary role credentials stops working when those credentials expire, whatever its
    /// X-Amz-Expires says (docs/security.md, "Presigned URLs").
    /// </summary>
    internal static readonly TimeSpan UrlLifetime = TimeSpan.FromHours(1);

    /// <summary>SSM's largest executionTimeout: Packer has no provisioner timeout by default.</summary>
    private const int MaxExecutionTimeoutSeconds = 172_800;

    private static readonly HashSet<string> Running = new(StringComparer.Ordinal) { "Pending", "InProgress", "Delayed", "Cancelling" };

    public string Name => StepNames.Provision;

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var build = state.RequireBuild(Name);
        var instanceId = state.RequireInstanceId(Name);
        var commands = aws.Commands(build.Builder.Region);
        var provisioning = state.Provisioning ?? new ProvisioningInfo();
        var attempt = state.WaitAttempt();
        var (realPlan, redactor) = await RealPlans.LoadAsync(aws, retry, state, Name, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            if (provisioning.Index >= build.Provisioners.Count)
            {
                return (state with { Provisioning = provisioning with { Finished = true, CommandId = null } }).Finished();
            }

            var provisioner = build.Provisioners[provisioning.Index];
            if (provisioning.CommandId is null)
            {
                if (provisioner.PauseBeforeSeconds > 0 && provisioning.Attempt == 0 && provisioning.Status != "Paused")
                {
                    state = state with { Provisioning = provisioning with { Status = "Paused" } };
                    return state.WaitAgain(Name, provisioner.PauseBeforeSeconds, 1, budgetSeconds: provisioner.PauseBeforeSeconds);
                }

                var (document, lines, downloads, stagedKey) = await PrepareCommandAsync(
                    state, realPlan.Provisioners[provisioning.Index], redactor, cancellationToken).ConfigureAwait(false);
                EnsureCommandFits(lines, provisioner, redactor);
                var request = new CommandRequest(instanceId, document, lines)
                {
                    ExecutionTimeoutSeconds = Math.Clamp(provisioner.TimeoutSeconds ?? MaxExecutionTimeoutSeconds, 1, MaxExecutionTimeoutSeconds),
                    Comment = $"bakery {state.BuildId} {provisioner.Label} {provisioner.Type}",
                    OutputS3BucketName = state.Source?.Bucket,
                    OutputS3KeyPrefix = state.StagingPrefix is { } staging ? Staging.LogsPrefix(staging, build.Builder.Name, provisioner.Index) : null,
                };
                string commandId;
                try
                {
                    commandId = await retry.RunAsync("SendCommand", token => commands.SendAsync(request, token), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (AwsErrors.HasCode(error, "InvalidInstanceId"))
                {
                    // The agent is not registered right now (e.g. coming back after an expected reboot): try later.
                    return state.CheckAgainOrGiveUp(Name, attempt, null, (_, _) => new InstanceNotReady(
                            $"Provision: SSM could not reach instance {instanceId} for {provisioner.Label}: {redactor.Redact(error.Message)}"));
                }

                state = state with
                {
                    Provisioning = provisioning with
                    {
                        CommandId = commandId,
                        StartedAt = time.GetUtcNow(),
                        Status = "Pending",
                        ExitCode = null,
                        OutputTail = null,
                        ErrorTail = null,
                        Finished = false,
                    },
                    Downloads = [.. state.Downloads, .. downloads],
                };
                if (stagedKey is not null && !state.Created.StagedKeys.Contains(stagedKey, StringComparer.Ordinal))
                {
                    // Teardown removes it with the rest of what this build staged.
                    state = state with { Created = state.Created with { StagedKeys = [.. state.Created.StagedKeys, stagedKey] } };
                }
                return state.StartWaiting(Name, budgetSeconds: CommandBudgetSeconds(provisioner));
            }

            CommandInvocation invocation;
            try
            {
                invocation = await retry.RunAsync(
                    "GetCommandInvocation", token => commands.GetInvocationAsync(provisioning.CommandId, instanceId, token), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception error) when (AwsErrors.HasCode(error, "InvocationDoesNotExist"))
            {
                return state.CheckAgain(Name, attempt, budgetSeconds: CommandBudgetSeconds(provisioner));
            }

            if (!Running.Contains(invocation.Status))
            {
                invocation = await WithFullTailsAsync(state, provisioner, invocation, cancellationToken).ConfigureAwait(false);
            }

            provisioning = provisioning with
            {
                Status = invocation.Status,
                ExitCode = invocation.ExitCode,
                // Masked before cutting, so a secret across the cut cannot leave half of itself behind.
                OutputTail = Tail(Redact(redactor, invocation.StandardOutput), OutputTailChars, StateBudget.OutputTailBytes),
                ErrorTail = Tail(Redact(redactor, invocation.StandardError), ErrorTailChars, StateBudget.ErrorTailBytes),
            };

            if (Running.Contains(invocation.Status))
            {
                // Visibly alive: the deadline the janitor goes by moves on with it (the host writes it to the ledger).
                state = state with { Provisioning = provisioning, DeadlineEpochSeconds = Math.Max(state.DeadlineEpochSeconds, BuildDeadlines.WhileProvisioning(build, time.GetUtcNow())) };
                return state.CheckAgain(Name, attempt, budgetSeconds: CommandBudgetSeconds(provisioner));
            }

            if (Succeeded(provisioner, invocation))
            {
                provisioning = provisioning with { Index = provisioning.Index + 1, CommandId = null, Attempt = 0 };
                state = state with { Provisioning = provisioning };
                attempt = 0;
                if (provisioner.PauseAfterSeconds > 0)
                {
                    // A Wait state, not a sleeping Lambda; "PausedAfter" is not "Paused", so the next one's pause_before still runs.
                    state = state with { Provisioning = provisioning with { Status = "PausedAfter" } };
                    return state.WaitAgain(Name, provisioner.PauseAfterSeconds, 1);
                }

                continue;
            }

            if (provisioning.Attempt < provisioner.MaxRetries)
            {
                provisioning = provisioning with { CommandId = null, Attempt = provisioning.Attempt + 1 };
                state = state with { Provisioning = provisioning };
                attempt = 0;
                continue;
            }

            var what = invocation.Status == "TimedOut"
                ? $"timed out after {provisioner.TimeoutSeconds ?? MaxExecutionTimeoutSeconds} s"
                : $"ended {invocation.Status}{(invocation.StatusDetails is { } details && details != invocation.Status ? $" ({redactor.Redact(details)})" : "")}";
            throw new ProvisionerFailed(
                $"Provision: {provisioner.Label} ({provisioner.Type}) {what} on {instanceId} after {provisioning.Attempt + 1} attempt(s), command {provisioning.CommandId}",
                invocation.ExitCode,
                provisioning.OutputTail,
                provisioning.ErrorTail);
        }
    }

    /// <summary>
    /// SendCommand refuses a document larger than <see cref="AwsLimits.CommandDocumentBytes"/> (MaxDocumentSizeExceeded);
    /// say so with the numbers and the way out instead. Scripts and inline text travel by URL when large, so what is
    /// left is the provisioner's own fields (environment_vars, execute_command) and the number of scripts.
    /// </summary>
    internal static void EnsureCommandFits(IReadOnlyList<string> lines, Provisioner provisioner, Redactor redactor)
    {
        // As SendCommand's JSON carries it: each line quoted and escaped, comma-separated.
        var bytes = lines.Sum(line => JsonEncodedText.Encode(line).EncodedUtf8Bytes.Length + 3);
        if (bytes > AwsLimits.CommandDocumentBytes)
        {
            throw new BuildFileInvalid(redactor.Redact(
                $"Provision: {provisioner.Label} ({provisioner.Type}) makes an SSM command of {bytes:N0} bytes; SendCommand accepts " +
                $"{AwsLimits.CommandDocumentBytes:N0} (64 KB, MaxDocumentSizeExceeded). Move long environment_vars or execute_command text into a script file, " +
                "or split the scripts over several provisioners."));
        }
    }

    /// <summary>
    /// GetCommandInvocation gives the first 24,000 characters of each stream: a longer log's end, where a failure is,
    /// would be lost. The full output is in S3 (SendCommand's OutputS3KeyPrefix), so a cut stream's tail comes from there.
    /// </summary>
    private async Task<CommandInvocation> WithFullTailsAsync(BakeState state, Provisioner provisioner, CommandInvocation invocation, CancellationToken cancellationToken)
    {
        var stdoutCut = invocation.StandardOutput is { Length: >= AwsLimits.InvocationOutputChars };
        var stderrCut = invocation.StandardError is { Length: >= AwsLimits.InvocationOutputChars };
        if ((!stdoutCut && !stderrCut) || state.StagingPrefix is not { } staging || state.Source?.Bucket is not { } bucket)
        {
            return invocation;
        }

        var prefix = $"{Staging.LogsPrefix(staging, state.Build!.Builder.Name, provisioner.Index)}/{invocation.CommandId}/";
        var keys = await retry.RunAsync("ListObjectsV2 (command output)", token => aws.Objects.ListKeysAsync(bucket, prefix, token), cancellationToken)
            .ConfigureAwait(false);
        async Task<string?> TailOf(string stream, string? fallback)
        {
            // One step per script in AWS-RunShellScript: the last one (in key order) is where the command ended.
            var key = keys.Where(k => k.EndsWith("/" + stream, StringComparison.Ordinal)).Order(StringComparer.Ordinal).LastOrDefault();
            if (key is null)
            {
                return fallback;
            }

            // Four bytes a character at most in UTF-8, so this many bytes hold the tail the state keeps.
            var bytes = await retry.RunAsync("GetObject (command output tail)", token => aws.Objects.GetTailAsync(bucket, key, OutputTailChars * 4, token), cancellationToken)
                .ConfigureAwait(false);
            return bytes is null ? fallback : "…" + Encoding.UTF8.GetString(bytes).TrimStart('\uFFFD');
        }

        return invocation with
        {
            StandardOutput = stdoutCut ? await TailOf("stdout", invocation.StandardOutput).ConfigureAwait(false) : invocation.StandardOutput,
            StandardError = stderrCut ? await TailOf("stderr", invocation.StandardError).ConfigureAwait(false) : invocation.StandardError,
        };
    }

    /// <summary>
    /// How long one command may take: its executionTimeout (the provisioner's timeout, else SSM's largest), plus
    /// SendCommand's default delivery window of an hour, after which SSM itself ends the command.
    /// </summary>
    internal static long CommandBudgetSeconds(Provisioner provisioner) =>
        (long)Math.Clamp(provisioner.TimeoutSeconds ?? MaxExecutionTimeoutSeconds, 1, MaxExecutionTimeoutSeconds) + 3600;

    private static bool Succeeded(Provisioner provisioner, CommandInvocation invocation)
    {
        if (invocation.Status == "Success")
        {
            return true;
        }

        var validCodes = provisioner switch
        {
            ShellProvisioner shell => shell.ValidExitCodes,
            PowerShellProvisioner powerShell => powerShell.ValidExitCodes,
            _ => [0],
        };
        if (invocation.Status == "Failed" && invocation.ExitCode is { } code && validCodes.Contains(code))
        {
            return true;
        }

        // expect_disconnect: the script rebooted the machine, so the agent lost it without an exit code.
        return provisioner is ShellProvisioner { ExpectDisconnect: true }
            && invocation.Status is "Failed" or "Undeliverable" or "Terminated" or "Cancelled"
            && invocation.ExitCode is null;
    }

    private static string? Redact(Redactor redactor, string? text) => text is null ? null : redactor.Redact(text);

    internal static string? Tail(string? text, int chars) =>
        text is null || text.Length <= chars ? text : WholeCharacters(text[^chars..]);

    // A cut may split a surrogate pair; its lone second half is no character.
    private static string WholeCharacters(string tail) => tail.Length > 0 && char.IsLowSurrogate(tail[0]) ? tail[1..] : tail;

    /// <summary>
    /// The last <paramref name="chars"/> characters, fewer when their JSON encoding (what the state carries) would pass
    /// <paramref name="maxEncodedBytes"/>: a line of non-ASCII or control characters costs up to 6 bytes a character.
    /// </summary>
    internal static string? Tail(string? text, int chars, int maxEncodedBytes)
    {
        var tail = Tail(text, chars);
        if (tail is null || EncodedBytes(tail) <= maxEncodedBytes)
        {
            return tail;
        }

        // The longest suffix that fits: encoded size only grows with length, so search for its start.
        int low = 0, high = tail.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (EncodedBytes(tail[middle..]) <= maxEncodedBytes)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return WholeCharacters(tail[low..]);
    }

    private static int EncodedBytes(string text) => JsonEncodedText.Encode(WholeCharacters(text)).EncodedUtf8Bytes.Length;

    /// <summary>The command for <paramref name="provisioner"/> (with real values); what goes back into the state is masked by <paramref name="redactor"/>.</summary>
    private async Task<(string Document, List<string> Lines, List<DownloadInfo> Downloads, string? StagedKey)> PrepareCommandAsync(
        BakeState state, Provisioner provisioner, Redactor redactor, CancellationToken cancellationToken)
    {
        var builder = state.Build!.Builder;
        var seed = Seed(state.BuildId, provisioner.Index);
        var urlLifetime = UrlLifetime;
        var allowance = new InlineAllowance(InlineBudgetBytes);
        switch (provisioner)
        {
            case ShellProvisioner shell:
                {
                    var scripts = new List<ScriptPayload>();
                    if (shell.Inline.Count > 0)
                    {
                        scripts.Add(ScriptPayload.FromText(ShellCommands.InlineScript(shell)));
                    }

                    if (shell.StagedInlineKey is { } inlineKey)
                    {
                        scripts.Add(await PayloadAsync(state, inlineKey, urlLifetime, allowance, cancellationToken).ConfigureAwait(false));
                    }

                    foreach (var script in shell.Scripts)
                    {
                        scripts.Add(await PayloadAsync(state, Staging.FileKey(StagingPrefix(state), script), urlLifetime, allowance, cancellationToken).ConfigureAwait(false));
                    }

                    return (Documents.Shell, ShellCommands.Build(shell, builder.Name, builder.Type, scripts, seed), [], null);
                }

            case PowerShellProvisioner powerShell:
                {
                    var scripts = new List<ScriptPayload>();
                    if (powerShell.Inline.Count > 0)
                    {
                        scripts.Add(ScriptPayload.FromText(PowerShellCommands.InlineScript(powerShell)));
                    }

                    if (powerShell.StagedInlineKey is { } inlineKey)
                    {
                        scripts.Add(await PayloadAsync(state, inlineKey, urlLifetime, allowance, cancellationToken).ConfigureAwait(false));
                    }

                    foreach (var script in powerShell.Scripts)
                    {
                        scripts.Add(await PayloadAsync(state, Staging.FileKey(StagingPrefix(state), script), urlLifetime, allowance, cancellationToken).ConfigureAwait(false));
                    }

                    return (Documents.PowerShell, PowerShellCommands.Build(powerShell, builder.Name, builder.Type, scripts, seed), [], null);
                }

            case FileProvisioner { Direction: "download" } download:
                {
                    var bucket = Bucket(state);
                    var transfers = new List<FileCommands.Download>();
                    var records = new List<DownloadInfo>();
                    for (var i = 0; i < download.Sources.Count; i++)
                    {
                        var remote = download.Sources[i].AsWritten;
                        var shown = redactor.Redact(remote);
                        var key = $"{Staging.DownloadsPrefix(StagingPrefix(state))}{download.Index}/{i}/{Path.GetFileName(shown.TrimEnd('/'))}";
                        var url = await retry.RunAsync("PresignPut", token => aws.Objects.PresignPutAsync(bucket, key, urlLifetime, token), cancellationToken)
                            .ConfigureAwait(false);
                        transfers.Add(new FileCommands.Download(remote, url));
                        records.Add(new DownloadInfo
                        {
                            RemotePath = shown,
                            Bucket = bucket,
                            Key = key,
                            Destination = redactor.Redact(download.Destination),
                            ProvisionerIndex = download.Index,
                            IsArchive = remote.EndsWith('/') || download.SourceIsDirectory,
                        });
                    }

                    return (Documents.Shell, FileCommands.BuildDownload(transfers), records, null);
                }

            case FileProvisioner upload:
                {
                    var bucket = Bucket(state);
                    var files = new List<FileCommands.Upload>();
                    var folderTargets = new List<string>();
                    var folderLines = new List<string>();
                    foreach (var source in upload.Sources)
                    {
                        var folderFiles = upload.SourceIsDirectory ? await StagedFolderFilesAsync(state, source, cancellationToken).ConfigureAwait(false) : null;
                        if (folderFiles is null)
                        {
                            var key = Staging.FileKey(StagingPrefix(state), source);
                            var url = await retry.RunAsync("PresignGet", token => aws.Objects.PresignGetAsync(bucket, key, urlLifetime, token), cancellationToken)
                                .ConfigureAwait(false);
                            files.Add(new FileCommands.Upload(source, ScriptPayload.FromUrl(url)));
                            continue;
                        }

                        var target = FileCommands.FolderTarget(upload, source);
                        folderTargets.Add(target);
                        var folderPrefix = Staging.FolderPrefix(StagingPrefix(state), source);
                        foreach (var key in folderFiles)
                        {
                            var url = await retry.RunAsync("PresignGet", token => aws.Objects.PresignGetAsync(bucket, key, urlLifetime, token), cancellationToken)
                                .ConfigureAwait(false);
                            folderLines.Add(FileCommands.TransferLine($"{target.TrimEnd('/')}/{key[folderPrefix.Length..]}", url));
                        }
                    }

                    string? listKey = null;
                    ScriptPayload? folderList = null;
                    if (folderLines.Count > 0)
                    {
                        // A folder's URLs travel in a list the command fetches first: the command (64 KB) holds a few dozen at most.
                        listKey = Staging.TransferListKey(StagingPrefix(state), builder.Name, upload.Index);
                        var list = Encoding.UTF8.GetBytes(string.Join('\n', folderLines) + "\n");
                        await retry.RunAsync("PutObject (transfer list)", token => aws.Objects.PutAsync(bucket, listKey, list, "text/plain", token), cancellationToken)
                            .ConfigureAwait(false);
                        var listUrl = await retry.RunAsync("PresignGet", token => aws.Objects.PresignGetAsync(bucket, listKey, urlLifetime, token), cancellationToken)
                            .ConfigureAwait(false);
                        folderList = ScriptPayload.FromUrl(listUrl);
                    }

                    var content = upload.StagedInlineKey is { } contentKey
                        ? await PayloadAsync(state, contentKey, urlLifetime, allowance, cancellationToken).ConfigureAwait(false)
                        : upload.Content is { } text ? ScriptPayload.FromText(text) : null;
                    return (Documents.Shell, FileCommands.BuildUpload(upload, files, folderTargets, folderList, content), [], listKey);
                }

            default:
                throw new BuildInputInvalid($"Provision: {provisioner.Label} has unsupported type '{provisioner.Type}'.");
        }
    }

    /// <summary>
    /// The staged files of a folder source, or null when Prepare staged it as a file. The model only says that some
    /// source of the provisioner is a folder; "dir/" always is one, and for the rest S3 tells which Prepare wrote.
    /// </summary>
    private async Task<IReadOnlyList<string>?> StagedFolderFilesAsync(BakeState state, ScriptSource source, CancellationToken cancellationToken)
    {
        var fileKey = Staging.FileKey(StagingPrefix(state), source);
        var folderPrefix = Staging.FolderPrefix(StagingPrefix(state), source);
        var listed = source.AsWritten.EndsWith('/') ? folderPrefix : fileKey.TrimEnd('/');
        var keys = await retry.RunAsync("ListObjectsV2", token => aws.Objects.ListKeysAsync(Bucket(state), listed, token), cancellationToken)
            .ConfigureAwait(false);
        if (!source.AsWritten.EndsWith('/') && keys.Contains(fileKey, StringComparer.Ordinal))
        {
            return null;
        }

        return [.. keys.Where(key => key.StartsWith(folderPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A staged script: inside the command when small and the command's inline budget allows (base64 makes it a third
    /// larger), else a presigned GET URL the command fetches when it starts.
    /// </summary>
    private async Task<ScriptPayload> PayloadAsync(BakeState state, string key, TimeSpan urlLifetime, InlineAllowance allowance, CancellationToken cancellationToken)
    {
        var bucket = Bucket(state);
        // The size first: a large script is never read into the function, only presigned.
        var size = await retry.RunAsync("HeadObject", token => aws.Objects.GetSizeAsync(bucket, key, token), cancellationToken).ConfigureAwait(false)
            ?? throw new BuildInputInvalid($"Provision: staged script s3://{bucket}/{key} is missing (did Prepare stage it?).");
        if (size <= InlineLimitBytes && allowance.TryTake((int)size))
        {
            var staged = await retry.RunAsync("GetObject", token => aws.Objects.GetAsync(bucket, key, token), cancellationToken).ConfigureAwait(false)
                ?? throw new BuildInputInvalid($"Provision: staged script s3://{bucket}/{key} is missing (did Prepare stage it?).");
            return new ScriptPayload(staged.Content, null);
        }

        var url = await retry.RunAsync("PresignGet", token => aws.Objects.PresignGetAsync(bucket, key, urlLifetime, token), cancellationToken)
            .ConfigureAwait(false);
        return ScriptPayload.FromUrl(url);
    }

    private string Bucket(BakeState state) =>
        state.Source?.Bucket ?? throw new BuildInputInvalid($"{Name}: the state has no source bucket for staged files.");

    private string StagingPrefix(BakeState state) =>
        state.StagingPrefix ?? throw new BuildInputInvalid($"{Name}: the state has no staging prefix for staged files.");

    private static int Seed(string buildId, int index) =>
        (int)(BitConverter.ToUInt32(SHA256.HashData(Encoding.UTF8.GetBytes($"{buildId}/{index}")), 0) % 9000) + 1000;
}
