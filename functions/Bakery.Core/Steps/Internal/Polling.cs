using Bakery.Core.BuildFiles.Model;

namespace Bakery.Core.Steps.Internal;

/// <summary>How long to wait between checks: the build file's aws_polling when given, else an adaptive backoff.</summary>
internal static class Polling
{
    /// <summary>Packer's defaults for its AWS waiters: 40 checks 15 s apart.</summary>
    public const int DefaultMaxAttempts = 40;
    public const int DefaultDelaySeconds = 15;

    private static readonly int[] Adaptive = [5, 5, 10, 15, 20, 30];

    /// <summary>Seconds before check number <paramref name="attempt"/> + 1.</summary>
    public static int NextDelay(int attempt, AwsPolling? polling) =>
        polling?.DelaySeconds is { } fixedDelay && fixedDelay > 0
            ? fixedDelay
            : Adaptive[Math.Clamp(attempt, 0, Adaptive.Length - 1)];

    public static int MaxAttempts(AwsPolling? polling) =>
        polling?.MaxAttempts is { } attempts && attempts > 0 ? attempts : DefaultMaxAttempts;

    /// <summary>The whole wait's budget in seconds (attempts × delay, Packer's meaning of aws_polling).</summary>
    public static int Budget(AwsPolling? polling) =>
        MaxAttempts(polling) * (polling?.DelaySeconds is { } delay && delay > 0 ? delay : DefaultDelaySeconds);
}
