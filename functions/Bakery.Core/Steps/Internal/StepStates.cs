using Bakery.Core.Bake;
using Bakery.BuildFiles.Model;
using Bakery.Core.Exceptions;

namespace Bakery.Core.Steps.Internal;

/// <summary>Small state helpers every step shares.</summary>
internal static class StepStates
{
    public const string BuildIdTag = "bakery:build-id";
    public const string ManagedTag = "bakery:managed";
    /// <summary>Builders of one file share a build id; this tells their resources apart (Teardown, a retried Launch).</summary>
    public const string BuilderTag = "bakery:builder";

    /// <summary>
    /// On builder instances only (<see cref="BuilderInstanceRole"/>): what Stop, CreateImage, Run Command, Teardown and the
    /// janitor act on, in code and in IAM. An image never carries it, so an instance launched later from a finished AMI,
    /// even with the AMI's tags copied, is never taken for a builder.
    /// </summary>
    public const string RoleTag = "bakery:role";

    public const string BuilderInstanceRole = "builder";

    public static BakeState Finished(this BakeState state) => state with { Wait = new WaitHint { Done = true } };

    /// <summary>
    /// A "call me again in n seconds" answer; the attempt counts checks within the current wait. The workflow gives up
    /// on the loop after the checks <paramref name="budgetSeconds"/> (default: the waiter budget of
    /// <paramref name="polling"/>) takes, plus a few. The check is paid from the build's history share
    /// (<see cref="HistoryEvents"/>): <paramref name="step"/> throws <see cref="HistoryBudgetExhausted"/> rather than pass it, but
    /// Teardown (<paramref name="teardown"/>), which spends the reserve kept for it and stops waiting by itself.
    /// </summary>
    public static BakeState WaitAgain(
        this BakeState state, string step, int seconds, int attempt, AwsPolling? polling = null, long? budgetSeconds = null, bool teardown = false) =>
        state with
        {
            History = HistoryEvents.Spend(state.History, step, teardown),
            Wait = new WaitHint
            {
                Done = false,
                Seconds = Math.Max(1, seconds),
                Attempt = attempt,
                GiveUpAfter = Math.Max(attempt + 1, Polling.GiveUpAfter(budgetSeconds ?? Polling.Budget(polling), polling)),
            },
        };

    /// <summary>The number of checks already made in the wait this step is in (0 on the first call).</summary>
    public static int WaitAttempt(this BakeState state) => state.Wait is { Done: false } wait ? wait.Attempt : 0;

    public static BuildPlan RequireBuild(this BakeState state, string step) =>
        state.Build ?? throw new BuildInputInvalid($"{step}: the state has no build (did Prepare run?).");

    public static string RequireInstanceId(this BakeState state, string step) =>
        state.Instance?.InstanceId ?? throw new BuildInputInvalid($"{step}: the state has no instance (did Launch run?).");

    public static ImageInfo RequireImage(this BakeState state, string step) =>
        state.Image ?? throw new BuildInputInvalid($"{step}: the state has no image (did CreateImage run?).");

    /// <summary>The tags every resource a build creates carries, so teardown, the janitor and IAM can find it.</summary>
    /// <summary>The keys of <see cref="BakeryTags"/> for a builder (every builder has a name), counted against EC2's tag limit.</summary>
    public static IReadOnlyList<string> BakeryTagKeys { get; } = [BuildIdTag, ManagedTag, BuilderTag];

    public static Dictionary<string, string> BakeryTags(this BakeState state)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [BuildIdTag] = state.BuildId,
            [ManagedTag] = "true",
        };
        if (state.Build?.Builder.Name is { Length: > 0 } builder)
        {
            tags[BuilderTag] = builder;
        }

        return tags;
    }

    /// <summary>The bakery tags of the images and snapshots a build makes (CreateImage, CopyImage TagSpecifications).</summary>
    public static List<Amazon.EC2.Model.Tag> ImageTags(this BakeState state) =>
        [.. state.BakeryTags().Select(tag => new Amazon.EC2.Model.Tag(tag.Key, tag.Value))];

    /// <summary>User tags rendered with build-time data, then the bakery tags (which a build file cannot override).</summary>
    public static Dictionary<string, string> TagsWithBakery(this BakeState state, params IReadOnlyDictionary<string, string>[] layers)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var (key, value) in layer)
            {
                tags[BuildTimeData.Render(key, state)] = BuildTimeData.Render(value, state);
            }
        }

        foreach (var (key, value) in state.BakeryTags())
        {
            tags[key] = value;
        }

        return tags;
    }

    public static IReadOnlyList<string> Adding(this IReadOnlyList<string> list, params IEnumerable<string> items) =>
        [.. list, .. items.Where(item => !list.Contains(item))];

    public static IReadOnlyList<string> Removing(this IReadOnlyList<string> list, params IEnumerable<string> items)
    {
        var removed = items.ToHashSet(StringComparer.Ordinal);
        return [.. list.Where(item => !removed.Contains(item))];
    }

    /// <summary>"region:id", the form <see cref="CreatedResources"/> keeps images and snapshots in.</summary>
    public static string Regional(string region, string id) => $"{region}:{id}";

    public static (string Region, string Id) SplitRegional(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (string.Empty, value) : (value[..colon], value[(colon + 1)..]);
    }
}
