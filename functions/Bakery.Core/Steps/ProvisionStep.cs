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
    internal const int OutputTailChars = 4096;
    internal const int ErrorTailChars = 2048;

    /// <summary>SSM's largest executionTimeout: Packer has no provisioner timeout by default.</summary>
    private const int MaxExecutionTimeoutSeconds = 172_800;

    private static readonly HashSet<string> Running = new(StringComparer.Ordinal) { "Pending", "InProgress", "Delayed", "Cancelling" };

    public string Name => "Provision";

    public async Task<BakeState> RunAsync(BakeState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var started = time.GetUtcNow();
        var build = state.RequireBuild(Name);
        var instanceId = state.RequireInstanceId(Name);
        var commands = aws.Commands(build.Builder.Region);
        var provisioning = state.Provisioning ?? new ProvisioningInfo();
        var attempt = state.WaitAttempt();
        var (realPlan, redactor) = await RealPlanAsync(state, build, cancellationToken).ConfigureAwait(false);

        while (true)
        {
            if (provisioning.Index >= build.Provisioners.Count)
            {
                return (state with { Provisioning = provisioning with { Finished = true, CommandId = null } }).Finished().WithTiming(Name, started, time);
            }

            var provisioner = build.Provisioners[provisioning.Index];
            if (provisioning.CommandId is null)
            {
                if (provisioner.PauseBeforeSeconds > 0 && provisioning.Attempt == 0 && provisioning.Status != "Paused")
                {
                    state = state with { Provisioning = provisioning with { Status = "Paused" } };
                    return state.WaitAgain(provisioner.PauseBeforeSeconds, 1).WithTiming(Name, started, time);
                }

                var (document, lines, downloads) = await PrepareCommandAsync(
                    state, realPlan.Provisioners[provisioning.Index], redactor, cancellationToken).ConfigureAwait(false);
                var request = new CommandRequest(instanceId, document, lines)
                {
                    ExecutionTimeoutSeconds = Math.Clamp(provisioner.TimeoutSeconds ?? MaxExecutionTimeoutSeconds, 1, MaxExecutionTimeoutSeconds),
                    Comment = $"bakery {state.BuildId} provisioners[{provisioner.Index}] {provisioner.Type}",
                };
                string commandId;
                try
                {
                    commandId = await retry.RunAsync("SendCommand", token => commands.SendAsync(request, token), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception error) when (AwsErrors.HasCode(error, "InvalidInstanceId"))
                {
                    // The agent is not registered right now (e.g. coming back after an expected reboot): try later.
                    if (Polling.Exhausted(attempt + 1, null))
                    {
                        throw new InstanceNotReady(
                            $"Provision: SSM could not reach instance {instanceId} for provisioners[{provisioner.Index}]: {redactor.Redact(error.Message)}");
                    }

                    return state.WaitAgain(Polling.NextDelay(attempt, null), attempt + 1).WithTiming(Name, started, time);
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
                return state.WaitAgain(Polling.NextDelay(0, null), 1).WithTiming(Name, started, time);
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
                return state.WaitAgain(Polling.NextDelay(attempt, null), attempt + 1).WithTiming(Name, started, time);
            }

            provisioning = provisioning with
            {
                Status = invocation.Status,
                ExitCode = invocation.ExitCode,
                // Masked before cutting, so a secret across the cut cannot leave half of itself behind.
                OutputTail = Tail(Redact(redactor, invocation.StandardOutput), OutputTailChars),
                ErrorTail = Tail(Redact(redactor, invocation.StandardError), ErrorTailChars),
            };

            if (Running.Contains(invocation.Status))
            {
                state = state with { Provisioning = provisioning };
                return state.WaitAgain(Polling.NextDelay(attempt, null), attempt + 1).WithTiming(Name, started, time);
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
                    return state.WaitAgain(provisioner.PauseAfterSeconds, 1).WithTiming(Name, started, time);
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
                $"Provision: provisioners[{provisioner.Index}] ({provisioner.Type}) {what} on {instanceId} after {provisioning.Attempt + 1} attempt(s), command {provisioning.CommandId}",
                invocation.ExitCode,
                provisioning.OutputTail,
                provisioning.ErrorTail);
        }
    }

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

    /// <summary>
    /// The plan with its real values and a redactor for them: the state's own plan and no redactor when nothing in it
    /// is masked, or when Prepare kept no rendered plan (then nothing was masked and the mask text is the user's own).
    /// </summary>
    private async Task<(BuildPlan Plan, Redactor Redactor)> RealPlanAsync(BakeState state, BuildPlan plan, CancellationToken cancellationToken)
    {
        if (state.StagingPrefix is not { } prefix || state.Source?.Bucket is not { } bucket || !PlanRedaction.ContainsMask(plan))
        {
            return (plan, Redactor.None);
        }

        var key = PrepareStep.RenderedPlanKey(prefix, plan.Builder.Name);
        var stored = await retry.RunAsync("GetObject", token => aws.Objects.GetAsync(bucket, key, token), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return (plan, Redactor.None);
        }

        BuildPlan? real;
        try
        {
            real = JsonSerializer.Deserialize(stored.Content.Span, PlanRedaction.PlanTypeInfo);
        }
        catch (JsonException error)
        {
            // The message would quote the file, which holds the secrets.
            throw new BuildInputInvalid($"{Name}: the rendered plan s3://{bucket}/{key} is not a plan (line {error.LineNumber}).");
        }

        if (real is null || real.Provisioners.Count != plan.Provisioners.Count)
        {
            throw new BuildInputInvalid($"{Name}: the rendered plan s3://{bucket}/{key} does not match the build's plan.");
        }

        return (real, PlanRedaction.RecoverSecrets(plan, real));
    }

    internal static string? Tail(string? text, int chars) =>
        text is null || text.Length <= chars ? text : text[^chars..];

    /// <summary>The command for <paramref name="provisioner"/> (with real values); what goes back into the state is masked by <paramref name="redactor"/>.</summary>
    private async Task<(string Document, List<string> Lines, List<DownloadInfo> Downloads)> PrepareCommandAsync(
        BakeState state, Provisioner provisioner, Redactor redactor, CancellationToken cancellationToken)
    {
        var builder = state.Build!.Builder;
        var seed = Seed(state.BuildId, provisioner.Index);
        var urlLifetime = TimeSpan.FromSeconds(Math.Min((provisioner.TimeoutSeconds ?? 6 * 3600) + 3600, 7 * 24 * 3600));
        switch (provisioner)
        {
            case ShellProvisioner shell:
            {
                var scripts = new List<ScriptPayload>();
                if (shell.Inline.Count > 0)
                {
                    scripts.Add(ScriptPayload.FromText(ShellCommands.InlineScript(shell)));
                }

                foreach (var script in shell.Scripts)
                {
                    scripts.Add(await PayloadAsync(state, Staging.FileKey(StagingPrefix(state), script), urlLifetime, cancellationToken).ConfigureAwait(false));
                }

                return (Documents.Shell, ShellCommands.Build(shell, builder.Name, builder.Type, scripts, seed), []);
            }

            case PowerShellProvisioner powerShell:
            {
                var scripts = new List<ScriptPayload>();
                if (powerShell.Inline.Count > 0)
                {
                    scripts.Add(ScriptPayload.FromText(PowerShellCommands.InlineScript(powerShell)));
                }

                foreach (var script in powerShell.Scripts)
                {
                    scripts.Add(await PayloadAsync(state, Staging.FileKey(StagingPrefix(state), script), urlLifetime, cancellationToken).ConfigureAwait(false));
                }

                return (Documents.PowerShell, PowerShellCommands.Build(powerShell, builder.Name, builder.Type, scripts, seed), []);
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

                return (Documents.Shell, FileCommands.BuildDownload(transfers), records);
            }

            case FileProvisioner upload:
            {
                var uploads = new List<FileCommands.Upload>();
                foreach (var source in upload.Sources)
                {
                    var isFolder = upload.SourceIsDirectory && await IsStagedFolderAsync(state, source, cancellationToken).ConfigureAwait(false);
                    var key = isFolder ? Staging.DirectoryArchiveKey(StagingPrefix(state), source) : Staging.FileKey(StagingPrefix(state), source);
                    var url = await retry.RunAsync("PresignGet", token => aws.Objects.PresignGetAsync(Bucket(state), key, urlLifetime, token), cancellationToken)
                        .ConfigureAwait(false);
                    uploads.Add(new FileCommands.Upload(source, ScriptPayload.FromUrl(url), isFolder));
                }

                return (Documents.Shell, FileCommands.BuildUpload(upload, uploads), []);
            }

            default:
                throw new BuildInputInvalid($"Provision: provisioners[{provisioner.Index}] has unsupported type '{provisioner.Type}'.");
        }
    }

    /// <summary>
    /// Whether Prepare staged this source as a folder archive. The model only says that some source of the provisioner
    /// is a folder; "dir/" always is one, and for the rest S3 tells which of the two keys Prepare wrote.
    /// </summary>
    private async Task<bool> IsStagedFolderAsync(BakeState state, ScriptSource source, CancellationToken cancellationToken)
    {
        if (source.AsWritten.EndsWith('/'))
        {
            return true;
        }

        var fileKey = Staging.FileKey(StagingPrefix(state), source);
        var keys = await retry.RunAsync("ListObjectsV2", token => aws.Objects.ListKeysAsync(Bucket(state), fileKey, token), cancellationToken)
            .ConfigureAwait(false);
        return !keys.Contains(fileKey, StringComparer.Ordinal) && keys.Contains(Staging.DirectoryArchiveKey(StagingPrefix(state), source), StringComparer.Ordinal);
    }

    /// <summary>A staged script: inline when small, else a presigned GET URL.</summary>
    private async Task<ScriptPayload> PayloadAsync(BakeState state, string key, TimeSpan urlLifetime, CancellationToken cancellationToken)
    {
        var bucket = Bucket(state);
        var staged = await retry.RunAsync("GetObject", token => aws.Objects.GetAsync(bucket, key, token), cancellationToken).ConfigureAwait(false)
            ?? throw new BuildInputInvalid($"Provision: staged script s3://{bucket}/{key} is missing (did Prepare stage it?).");
        if (staged.Content.Length <= InlineLimitBytes)
        {
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
