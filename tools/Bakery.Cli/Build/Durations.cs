using System.Globalization;

namespace Bakery.Cli.Build;

/// <summary>Packer's way of writing an elapsed time: <c>2 minutes 5 seconds</c>, <c>12 seconds</c>, <c>850 milliseconds</c>.</summary>
internal static class Durations
{
    public static string Format(TimeSpan elapsed)
    {
        if (elapsed < TimeSpan.FromSeconds(1))
        {
            return Unit((int)Math.Max(0, elapsed.TotalMilliseconds), "millisecond");
        }

        var parts = new List<string>();
        if (elapsed.Hours + (elapsed.Days * 24) > 0)
        {
            parts.Add(Unit(elapsed.Hours + (elapsed.Days * 24), "hour"));
        }

        if (elapsed.Minutes > 0)
        {
            parts.Add(Unit(elapsed.Minutes, "minute"));
        }

        if (elapsed.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(Unit(elapsed.Seconds, "second"));
        }

        return string.Join(' ', parts);
    }

    /// <summary>Short form for per-step times: <c>1.2s</c>, <c>2m05s</c>.</summary>
    public static string Short(TimeSpan elapsed) => elapsed < TimeSpan.FromMinutes(1)
        ? elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
        : $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s";

    private static string Unit(int value, string name) =>
        value.ToString(CultureInfo.InvariantCulture) + " " + (value == 1 ? name : name + "s");
}
