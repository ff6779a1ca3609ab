using System.Globalization;

namespace Bakery.Local.Lambda;

/// <summary>
/// Faults the local Lambda service injects, so failure paths that moto cannot produce run through the real workflow.
/// Text form (the <c>BAKERY_LOCAL_FAULTS</c> variable, or a file it names): entries separated by commas or new lines,
/// <c>#</c> starts a comment, each entry <c>Function:ErrorType</c> with an optional attempt selector:
/// <c>@2</c> (the 2nd invocation only), <c>@2-3</c>, <c>@2+</c> (the 2nd and every later one); without one, every
/// invocation. Example: <c>Provision:ProvisionerFailed,CreateImage:ImageFailed@2,Launch:Sandbox.Timedout</c>.
/// <c>Function:Delay=3s</c> (or <c>=500ms</c>) is not an error: it holds the invocation that long, then runs it.
/// Part of the stand-in only; the product never reads it.
/// </summary>
public sealed class LocalFaultPlan
{
    /// <summary>The environment variable the CLI's local stand-in reads.</summary>
    public const string EnvironmentVariable = "BAKERY_LOCAL_FAULTS";

    private LocalFaultPlan(IReadOnlyList<LocalFault> faults)
    {
        Faults = faults;
    }

    public static LocalFaultPlan None { get; } = new([]);

    public IReadOnlyList<LocalFault> Faults { get; }

    public static LocalFaultPlan Of(params LocalFault[] faults) => new([.. faults]);

    /// <summary>Parses the text form; a malformed entry is a <see cref="FormatException"/> naming it.</summary>
    public static LocalFaultPlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var faults = new List<LocalFault>();
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Split('#')[0];
            foreach (var rawEntry in line.Split(','))
            {
                var entry = rawEntry.Trim();
                if (entry.Length > 0)
                {
                    faults.Add(ParseEntry(entry));
                }
            }
        }

        return new LocalFaultPlan(faults);
    }

    /// <summary>
    /// The plan a variable's value describes: the contents of the file it names when such a file exists, otherwise the
    /// value itself; <see cref="None"/> for an unset or empty value.
    /// </summary>
    public static LocalFaultPlan FromSetting(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return None;
        }

        return Parse(File.Exists(value) ? File.ReadAllText(value) : value);
    }

    /// <summary>The fault for this invocation of a function known by any of <paramref name="names"/>, if any.</summary>
    public LocalFault? Find(IEnumerable<string> names, int attempt)
    {
        var known = names.ToHashSet(StringComparer.Ordinal);
        return Faults.FirstOrDefault(fault => known.Contains(fault.Function) && fault.AppliesTo(attempt));
    }

    public override string ToString() => string.Join(",", Faults);

    private static LocalFault ParseEntry(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == entry.Length - 1)
        {
            throw new FormatException($"Fault '{entry}': expected Function:ErrorType[@N|@N-M|@N+]");
        }

        var function = entry[..colon].Trim();
        var rest = entry[(colon + 1)..];
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        var errorType = (at < 0 ? rest : rest[..at]).Trim();
        if (errorType.Length == 0 || errorType.Any(char.IsWhiteSpace))
        {
            throw new FormatException($"Fault '{entry}': the error type must be one word (e.g. ProvisionerFailed)");
        }

        var delay = TimeSpan.Zero;
        if (errorType.StartsWith(LocalFault.DelayType + "=", StringComparison.Ordinal))
        {
            delay = Duration(entry, errorType[(LocalFault.DelayType.Length + 1)..]);
            errorType = LocalFault.DelayType;
        }

        if (at < 0)
        {
            return new LocalFault { Function = function, ErrorType = errorType, Delay = delay };
        }

        var selector = rest[(at + 1)..].Trim();
        if (selector.EndsWith('+'))
        {
            return new LocalFault { Function = function, ErrorType = errorType, Delay = delay, FirstAttempt = Attempt(entry, selector[..^1]) };
        }

        var dash = selector.IndexOf('-', StringComparison.Ordinal);
        var first = Attempt(entry, dash < 0 ? selector : selector[..dash]);
        var last = dash < 0 ? first : Attempt(entry, selector[(dash + 1)..]);
        if (last < first)
        {
            throw new FormatException($"Fault '{entry}': the attempt range ends before it starts");
        }

        return new LocalFault { Function = function, ErrorType = errorType, Delay = delay, FirstAttempt = first, LastAttempt = last };
    }

    /// <summary><c>3s</c> or <c>500ms</c>.</summary>
    private static TimeSpan Duration(string entry, string text)
    {
        var (digits, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 1) : text.EndsWith('s') ? (text[..^1], 1000) : ("", 0);
        if (unit == 0 || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FormatException($"Fault '{entry}': a delay is a whole number of seconds or milliseconds (Delay=3s, Delay=500ms), got '{text}'");
        }

        return TimeSpan.FromMilliseconds((long)amount * unit);
    }

    private static int Attempt(string entry, string text)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var attempt) || attempt < 1)
        {
            throw new FormatException($"Fault '{entry}': attempts are counted from 1, got '{text}'");
        }

        return attempt;
    }
}
