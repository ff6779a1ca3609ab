using System.CommandLine;
using System.Globalization;
using Bakery.Cli.Stack;
using Bakery.Core.Ledger;

namespace Bakery.Cli.Commands;

/// <summary><c>bakery builds</c>: the newest builds of a stack (or of the running local stand-in), from its ledger.</summary>
internal static class BuildsCommand
{
    public static Command Create()
    {
        var stack = StackOption();
        var count = new Option<int>("-n", "--count") { Description = "How many builds to list (newest first)", DefaultValueFactory = _ => 20 };
        var command = new Command("builds", "List recent builds: id, status, current step, start time, AMI ids.");
        command.Options.Add(stack);
        command.Options.Add(count);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            try
            {
                using var target = await StackTarget.OpenOrLocalAsync(parseResult.GetValue(stack), cancellationToken).ConfigureAwait(false);
                var records = await target.Ledger.ListRecentAsync(Math.Max(1, parseResult.GetValue(count)), cancellationToken).ConfigureAwait(false);
                Write(output, records);
                return 0;
            }
            catch (StackConfigException problem)
            {
                error.WriteLine("bakery builds: " + problem.Message);
                return 1;
            }
        });
        return command;
    }

    internal static Option<string?> StackOption() =>
        new("--stack", "-stack") { Description = "The deployed stack (default: BAKERY_STACK; none: the running local stand-in)" };

    internal static void Write(TextWriter output, IReadOnlyList<BuildRecord> records)
    {
        if (records.Count == 0)
        {
            output.WriteLine("No builds yet.");
            return;
        }

        var rows = records.Select(r => new[]
        {
            r.BuildId,
            r.Status.ToString(),
            StepText(r) ?? "-",
            Time(r.CreatedAt),
            r.Images.Count == 0 ? "-" : string.Join(",", r.Images.Select(i => $"{i.Region}:{i.ImageId}")),
        }).Prepend(["BUILD ID", "STATUS", "STEP", "STARTED", "AMIS"]).ToList();
        var widths = Enumerable.Range(0, 4).Select(c => rows.Max(row => row[c].Length)).ToList();
        foreach (var row in rows)
        {
            output.WriteLine(string.Join("  ", row.Take(4).Select((cell, c) => cell.PadRight(widths[c]))) + "  " + row[4]);
        }
    }

    /// <summary>The step, and while the build is live how it is doing (a finished build's last step status is not meaningful).</summary>
    internal static string? StepText(BuildRecord record) => record.Step is null
        ? null
        : record.Status is BuildStatus.Claimed or BuildStatus.Running ? $"{record.Step} ({record.StepStatus ?? "?"})" : record.Step;

    internal static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
