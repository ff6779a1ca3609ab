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
