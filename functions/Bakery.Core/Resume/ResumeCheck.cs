using System.Globalization;
using Bakery.Core.Exceptions;
using Bakery.Core.Ledger;

namespace Bakery.Core.Resume;

/// <summary>
/// Whether the ledger's record of a build allows a resume, and if not, why (a <see cref="ResumeRefused"/> that says
/// what is gone and that the build must start again). Prepare runs it before it claims the build again; the CLI runs
/// it first, so a refusal is said before anything starts.
/// </summary>
public static class ResumeCheck
{
    /// <summary>The build file the build was made from, as the ledger's <c>source</c> (<c>s3://bucket/key</c>).</summary>
    public static (string Bucket, string Key) Source(BuildRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        const string scheme = "s3://";
        var source = record.Source ?? string.Empty;
        var slash = source.StartsWith(scheme, StringComparison.Ordinal) ? source.IndexOf('/', scheme.Length) : -1;
        if (slash < 0)
        {
            throw new ResumeRefused(
                $"Build {record.BuildId} was started with an inline build file (source: {(source.Length == 0 ? "unknown" : source)}), whose variables were in " +
                "the execution's input and are not kept; it cannot be resumed. Start it again.");
        }

        return (source[scheme.Length..slash], source[(slash + 1)..]);
    }

    /// <summary>The hold to resume from; throws <see cref="ResumeRefused"/> when the record does not allow a resume at <paramref name="now"/>.</summary>
    public static ResumeHold Check(string buildId, BuildRecord? record, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(buildId);
        if (record is null)
        {
            throw new ResumeRefused($"There is no build {buildId} in the ledger (unknown, or its record expired); nothing to resume.");
        }

        switch (record.Status)
        {
            case BuildStatus.Succeeded:
                throw new ResumeRefused($"Build {buildId} succeeded; there is nothing to resume.");
            case BuildStatus.Claimed or BuildStatus.Running:
                throw new ResumeRefused(
                    $"Build {buildId} is still {record.Status.ToString().ToLowerInvariant()} (step {record.Step ?? "none"}); only a failed build can be resumed.");
        }

        var failure = record.ErrorName is { } name ? $" ({name})" : string.Empty;
        if (record.Resume is null && record.ErrorName == nameof(ImageTestFailed))
        {
            throw new ResumeRefused(
                $"Build {buildId} failed its image test (ImageTestFailed): a verdict on the image, which a resume would only publish, so " +
                "nothing was kept for a resume. Fix the build and start it again.");
        }

        if (record.Resume is not { } hold)
        {
            throw new ResumeRefused(
                $"Build {buildId} failed{failure} before any of its builders had an image to continue from: Teardown terminated the instance after the " +
                "failure, so the build cannot be resumed. Start it again.");
        }

        if (hold.Builders.FirstOrDefault(builder => builder.From is null) is { } stuck)
        {
            throw new ResumeRefused(
                $"Build {buildId} cannot be resumed: builder '{stuck.Builder}' cannot continue, {stuck.Reason ?? "it has no image"}. " +
                "Start the build again (the images its other builders made are kept until " +
                $"{hold.Until.ToString("u", CultureInfo.InvariantCulture)}, then the janitor removes them).");
        }

        if (now.ToUnixTimeSeconds() >= hold.UntilEpochSeconds)
        {
            throw new ResumeRefused(
                $"Build {buildId}'s images were kept for a resume until {hold.Until.ToString("u", CultureInfo.InvariantCulture)}; that has passed " +
                "(the janitor removes them). Start the build again.");
        }

        return hold;
    }
}
