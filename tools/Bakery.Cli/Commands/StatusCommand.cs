using System.Globalization;
using System.CommandLine;
using Bakery.Cli.Build;
using Bakery.Cli.Stack;
using Bakery.Core.Ledger;

namespace Bakery.Cli.Commands;

/// <summary>
/// <c>bakery status BUILD [--log]</c>: one build from the ledger: status, step, times, AMIs, and the error when it
/// failed; with <c>--log</c>, every provisioner's full output from S3 (<see cref="BuildLogs"/>).
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var stack = BuildsCommand.StackOption();
        var buildId = new Argument<string>("BUILD") { Description = "The build id (as `bakery builds` and `bakery build` print it)" };
        var log = new Option<bool>("--log")
        {
            Description = "Also print every provisioner's full output, as the SSM agent wrote it to S3 (kept StagingRetentionDays after the build)",
        };
        var command = new Command("status", "Show one build: status, current step, times, AMIs, and error and cause when it failed.");
        command.Arguments.Add(buildId);
        command.Options.Add(stack);
        command.Options.Add(log);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var id = parseResult.GetValue(buildId)!;
            try
            {
                using var target = await StackTarget.OpenOrLocalAsync(parseResult.GetValue(stack), cancellationToken).ConfigureAwait(false);
                if (await target.Ledger.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } record)
                {
                    error.WriteLine($"bakery status: no build {id} in the ledger of stack {target.Name} ({target.Config.LedgerTable}); `bakery builds` lists them.");
                    return 1;
                }

                Write(output, record);
                if (parseResult.GetValue(log))
                {
                    output.WriteLine();
                    var commands = await BuildLogs.WriteAsync(target.S3, target.Config.Bucket, id, output, cancellationToken).ConfigureAwait(false);
                    if (commands == 0)
                    {
                        output.WriteLine(
                            $"(no provisioner output in s3://{target.Config.Bucket}/{Bakery.Core.Steps.Staging.AllLogsPrefix(Bakery.Core.Steps.Staging.BuildPrefix(id))}: " +
                            "no command has ended yet, or the output expired with the bucket's staging lifecycle rule)");
                    }
                }

                return 0;
            }
            catch (StackConfigException problem)
            {
                error.WriteLine("bakery status: " + problem.Message);
                return 1;
            }
        });
        return command;
    }

    internal static void Write(TextWriter output, BuildRecord record)
    {
        void Line(string name, string? value)
        {
            if (value is not null)
            {
                output.WriteLine($"{name + ":",-11} {value}");
            }
        }

        Line("Build", record.BuildId);
        Line("Status", record.Status.ToString());
        Line(record.Status == BuildStatus.Failed ? "Failed in" : "Step", BuildsCommand.StepText(record));
        Line("Source", record.Source);
        Line("Trigger", record.Trigger);
        Line("Started", BuildsCommand.Time(record.CreatedAt));
        Line("Updated", BuildsCommand.Time(record.UpdatedAt));
        Line("Finished", record.FinishedAt is { } finished ? $"{BuildsCommand.Time(finished)} (took {Durations.Format(finished - record.CreatedAt)})" : null);
        if (record.FinishedAt is null && record.DeadlineEpochSeconds > 0)
        {
            Line("Deadline", BuildsCommand.Time(DateTimeOffset.FromUnixTimeSeconds(record.DeadlineEpochSeconds)));
        }

        if (record.Images.Count > 0)
        {
            output.WriteLine("AMIs:");
            foreach (var image in record.Images)
            {
                output.WriteLine($"  {image.Builder}  {image.Region}  {image.ImageId}");
            }
        }

        if (record.Warnings.Count > 0)
        {
            output.WriteLine("Warnings:");
            foreach (var warning in record.Warnings)
            {
                output.WriteLine($"  {warning}");
            }
        }

        if (record.LaunchAttempts.Count > 0)
        {
            output.WriteLine("Launch attempts:");
            foreach (var attempt in record.LaunchAttempts)
            {
                output.WriteLine($"  {attempt.Builder}  {LaunchAttemptText.Of(attempt)}");
            }
        }

        if (record.Status == BuildStatus.Failed || record.ErrorName is not null)
        {
            Line("Error", record.ErrorName ?? "(none recorded)");
            Line("Cause", BuildProgress.CauseText(record.ErrorCause));
        }

        if (record.Status == BuildStatus.Failed && record.Resume is { } hold)
        {
            // Where the images kept for a resume are and until when: they cost storage until the janitor removes them.
            var until = hold.Until.ToString("u", CultureInfo.InvariantCulture);
            output.WriteLine($"Kept for a resume until {until} (`bakery build --resume {record.BuildId} FILE`; the janitor removes them after):");
            foreach (var builder in hold.Builders)
            {
                output.WriteLine(builder.From is null
                    ? $"  {builder.Builder}  cannot continue: {builder.Reason}"
                    : $"  {builder.Builder}  from {builder.From}: {string.Join(", ", builder.Images.Select(image => $"{image.Region} {image.ImageId}"))}");
            }
        }
    }
}
