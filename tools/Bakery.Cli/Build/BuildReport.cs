namespace Bakery.Cli.Build;

/// <summary>The end of <c>bakery build</c> in Packer's words: errors per build, then the artifacts of the successful ones.</summary>
internal static class BuildReport
{
    /// <summary>Writes the summary and returns the exit code: 0 when every build succeeded, 1 otherwise.</summary>
    /// <param name="executionError">The execution's own error when no build carries one (e.g. Prepare failed).</param>
    public static int Write(BuildUi ui, IReadOnlyList<BuildOutcome> outcomes, string? failedStep, string? executionError, string? executionCause, TimeSpan elapsed)
    {
        ui.Plain("");
        ui.Say(null, $"Wait completed after {Durations.Format(elapsed)}");
        ui.Plain("");
        var failed = outcomes.Where(o => !o.Succeeded).ToList();
        var errorsShown = false;
        if (failed.Count > 0 || (outcomes.Count == 0 && executionError is not null))
        {
            ui.Error(null, "Some builds didn't complete successfully and had errors:");
            foreach (var outcome in failed)
            {
                var step = outcome.FailedStep is null ? "" : $"{outcome.FailedStep}: ";
                ui.Error(outcome.Name, $"{step}{outcome.Error ?? "Failed"}: {BuildProgress.CauseText(outcome.Cause)}");
            }

            if (outcomes.Count == 0)
            {
                var step = failedStep is null ? "" : $"{failedStep}: ";
                ui.Error(null, $"{step}{executionError}: {BuildProgress.CauseText(executionCause)}");
            }

            errorsShown = true;
            ui.Plain("");
        }

        var succeeded = outcomes.Where(o => o.Succeeded).ToList();
        if (succeeded.Count == 0)
        {
            ui.Say(null, "Builds finished but no artifacts were created.");
            return 1;
        }

        ui.Say(null, "Builds finished. The artifacts of successful builds are:");
        foreach (var outcome in succeeded)
        {
            var amis = outcome.Amis;
            var id = string.Join(",", amis.Select(pair => $"{pair.Key}:{pair.Value}").Order(StringComparer.Ordinal));
            var text = "AMIs were created:\n" + string.Concat(amis.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}\n"));
            // As Packer 1.6.6: a manifest post-processor keeps its input artifact and returns it again, so a build with k of
            // them lists its AMIs 1 + k times (artifact-count, the artifact rows and the "-->" block). Bakery treats a
            // sequence of several manifests as several (Packer would count the sequence once).
            var count = 1 + (outcome.State?.Build?.PostProcessors.Count ?? 0);
            for (var index = 0; index < count; index++)
            {
                ui.Artifact(outcome.Name, index, count, id, text);
            }
        }

        return errorsShown || executionError is not null ? 1 : 0;
    }
}
