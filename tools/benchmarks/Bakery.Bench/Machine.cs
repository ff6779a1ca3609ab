using System.Globalization;

namespace Bakery.Bench;

/// <summary>What the figures were measured on: they mean little without the core count and the load at the time.</summary>
internal static class Machine
{
    public static int Cores => Environment.ProcessorCount;

    /// <summary>The 1-minute load average (Linux), NaN elsewhere.</summary>
    public static double LoadAverage()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
        catch (UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>Peak resident set size (VmHWM) of a live process in kB, or null once it is gone.</summary>
    public static long? PeakRssKilobytes(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }
}
