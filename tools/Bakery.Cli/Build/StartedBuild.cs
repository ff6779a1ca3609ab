using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;

namespace Bakery.Cli.Build;

/// <summary>
/// A build this run started: the id Prepare gives it (derived from the execution input, so known before Prepare
/// answers), where its build file was uploaded, and what the local validation resolved.
/// </summary>
internal sealed record StartedBuild(string BuildId, string Bucket, string BuildFileKey, BuildDefinition Definition)
{
    /// <summary>
    /// The per-build states as far as the CLI knows them before Prepare answers: enough for Teardown to find what
    /// carries the build's tags and what lies under its staging prefix (Prepare may have run after the interrupt).
    /// </summary>
    public IReadOnlyList<BakeState> InitialStates() =>
    [
        .. Definition.Builds.Select(plan => new BakeState
        {
            BuildId = BuildId,
            Source = new BuildSource { Bucket = Bucket, Key = BuildFileKey, Prefix = BuildFileKey[..(BuildFileKey.LastIndexOf('/') + 1)] },
            // Prepare's staging prefix for this build.
            StagingPrefix = $"staging/{BuildId}/",
            Build = plan,
        }),
    ];
}
