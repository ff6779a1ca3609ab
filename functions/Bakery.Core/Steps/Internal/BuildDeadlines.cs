using Bakery.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>
/// When a build is considered dead: the default timeout, or more when the build file asks for long waits
/// (aws_polling for the instance, stop, image and copy waiters; provisioner timeouts and pauses).
/// </summary>
internal static class BuildDeadlines
{
    // Packer's waiter defaults when aws_polling is absent: 15 s × 40 attempts.
    private const int DefaultDelaySeconds = 15;
    private const int DefaultMaxAttempts = 40;
    private const int WaitersPerBuild = 4;
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The deadline while a provisioner's command is visibly running at <paramref name="now"/>: time for the waits
    /// after provisioning (stop, image, copy), the margin, and the next check. A live 12-hour provisioning keeps pushing
    /// its deadline; a dead execution stops pushing, and the janitor finds it after this much.
    /// </summary>
    public static long WhileProvisioning(BuildPlan plan, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return (now + Waiters(plan) + Margin).ToUnixTimeSeconds();
    }

    /// <summary>
    /// A builder's deadline from when it really starts (Launch): builders beyond the Map's 4 at a time start after
    /// others finish, so each keeps its own budget rather than one counted from Prepare.
    /// </summary>
    public static long FromLaunch(long preparedDeadline, DateTimeOffset prepared, DateTimeOffset launched) =>
        preparedDeadline <= 0 || launched <= prepared ? preparedDeadline : preparedDeadline + (long)(launched - prepared).TotalSeconds;

    private static TimeSpan Waiters(BuildPlan plan)
    {
        var polling = plan.Builder.AwsPolling;
        return TimeSpan.FromSeconds((double)(polling?.DelaySeconds ?? DefaultDelaySeconds) * (polling?.MaxAttempts ?? DefaultMaxAttempts) * WaitersPerBuild);
    }

    public static long For(BuildPlan plan, DateTimeOffset start, TimeSpan defaultTimeout)
    {
        var polling = plan.Builder.AwsPolling;
        var waiter = TimeSpan.FromSeconds(
            (double)(polling?.DelaySeconds ?? DefaultDelaySeconds) * (polling?.MaxAttempts ?? DefaultMaxAttempts));
        var provisioning = TimeSpan.FromSeconds(plan.Provisioners.Sum(p =>
            ((double)((p.TimeoutSeconds ?? 0) + p.PauseBeforeSeconds) * (p.MaxRetries + 1)) + p.PauseAfterSeconds));
        var needed = (waiter * WaitersPerBuild) + provisioning + Margin;
        return (start + (needed > defaultTimeout ? needed : defaultTimeout)).ToUnixTimeSeconds();
    }
}
