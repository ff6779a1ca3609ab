using Bakery.BuildFiles.Settings;
using Bakery.Core.Bake;
using Bakery.Core.Steps.Internal;

namespace Bakery.Core.Steps.Prepare;

/// <summary>Prepare's answer: one state per builder under the build's state, checked against Step Functions' size limit.</summary>
internal static class PreparedStates
{
    /// <summary>
    /// Builds of one file share the staging prefix and any file two of them use; each build's Teardown removes only
    /// what no sibling (maybe still provisioning) needs. The workflow's TeardownBuild, after every build finished,
    /// removes the rest: the whole list is the returned state's Created.StagedKeys.
    /// </summary>
    public static BakeState Assemble(string buildId, BuildSource source, string stagingPrefix, IReadOnlyList<BakeState> staged, StepTiming timing, BakerySettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(staged);
        var allStaged = staged.SelectMany(build => build.Created.StagedKeys).Distinct(StringComparer.Ordinal).ToList();
        var users = staged.SelectMany(build => build.Created.StagedKeys).GroupBy(key => key, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var history = HistoryEvents.ShareFor(staged.Count);
        List<BakeState> builds = [.. staged.Select(build => build with
        {
            Timings = [timing],
            History = history,
            Created = build.Created with { StagedKeys = [.. build.Created.StagedKeys.Where(key => users[key] == 1)] },
        })];
        var prepared = new BakeState
        {
            BuildId = buildId,
            Source = source,
            StagingPrefix = stagingPrefix,
            Builds = builds,
            // Also here, for the steps after the builds (Lifecycle) and the workflow's Choice on $.settings.lifecycle.
            Settings = settings,
            Created = new CreatedResources { StagedKeys = allStaged },
            Timings = [timing],
            DeadlineEpochSeconds = builds.Max(b => b.DeadlineEpochSeconds),
        };
        StateBudget.EnsureFits(prepared, $"s3://{source.Bucket}/{source.Key}");
        return prepared;
    }
}
