using Bakery.Core.Manifests;

namespace Bakery.Cli.Build;

/// <summary>The manifest post-processor, locally: each successful build appends its entry to its <c>output</c>, relative to the current folder as with Packer.</summary>
internal static class LocalManifests
{
    public static async Task WriteAsync(BuildUi ui, IReadOnlyList<BuildOutcome> outcomes, string runUuid, DateTimeOffset finishedAt, CancellationToken cancellationToken)
    {
        foreach (var outcome in outcomes.Where(o => o.Succeeded))
        {
            foreach (var manifest in outcome.State?.Build?.PostProcessors ?? [])
            {
                ui.Say(outcome.Name, "Running post-processor: manifest");
                var entry = PackerManifestWriter.CreateEntry(
                    new ManifestArtifact { BuildName = outcome.Name, FinishedAt = finishedAt, Amis = outcome.Amis },
                    outcome.State is { } state ? ManifestCustomData.RenderedFor(manifest, state) : manifest,
                    runUuid);
                await PackerManifestWriter.AppendToFileAsync(manifest.Output, [entry], runUuid, cancellationToken).ConfigureAwait(false);
                ui.Message(outcome.Name, $"Wrote {Path.GetFullPath(manifest.Output)}");
            }
        }
    }
}
