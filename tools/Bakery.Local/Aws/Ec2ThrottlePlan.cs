using System.Globalization;

namespace Bakery.Local.Aws;

/// <summary>
/// Which EC2 calls the <see cref="Ec2ThrottlingProxy"/> answers with <c>RequestLimitExceeded</c>: a fraction, spread
/// evenly and deterministically over the calls in the order they arrive (<c>1/3</c> throttles the 3rd, 6th, 9th...),
/// so a run is reproducible. Text form (the <c>BAKERY_LOCAL_EC2_THROTTLE</c> variable): <c>1/3</c>, <c>0.33</c> or
/// <c>33%</c>. Part of the stand-in only; the product never reads it.
/// </summary>
public sealed class Ec2ThrottlePlan
{
    /// <summary>The environment variable the CLI's local stand-in reads.</summary>
    public const string EnvironmentVariable = "BAKERY_LOCAL_EC2_THROTTLE";

    private Ec2ThrottlePlan(long numerator, long denominator)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public static Ec2ThrottlePlan None { get; } = new(0, 1);

    public long Numerator { get; }

    public long Denominator { get; }

    public bool IsActive => Numerator > 0;

    /// <summary><paramref name="numerator"/> of every <paramref name="denominator"/> EC2 calls.</summary>
    public static Ec2ThrottlePlan Of(long numerator, long denominator)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(denominator, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(numerator);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(numerator, denominator);
        if (numerator == 0)
        {
            return None;
        }

        var divisor = (long)System.Numerics.BigInteger.GreatestCommonDivisor(numerator, denominator);
        return new Ec2ThrottlePlan(numerator / divisor, denominator / divisor);
    }

    /// <summary>Parses <c>N/M</c>, a decimal in [0, 1] or a percentage; anything else is a <see cref="FormatException"/>.</summary>
    public static Ec2ThrottlePlan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0
            && long.TryParse(value[..slash], NumberStyles.None, CultureInfo.InvariantCulture, out var numerator)
            && long.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var denominator)
            && denominator >= 1 && numerator <= denominator)
        {
            return Of(numerator, denominator);
        }

        var percent = value.EndsWith('%');
        if (slash < 0 && decimal.TryParse(percent ? value[..^1] : value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            var fraction = percent ? number / 100 : number;
            if (fraction <= 1)
            {
                // In ten-thousandths: 0.33 throttles 33 of every 100 calls, evenly spread.
                return Of((long)Math.Round(fraction * 10_000), 10_000);
            }
        }

        throw new FormatException($"{EnvironmentVariable} '{text}': expected a fraction of EC2 calls to throttle, e.g. 1/3, 0.33 or 33%");
    }

    /// <summary>The plan a variable's value describes; <see cref="None"/> for an unset or empty value.</summary>
    public static Ec2ThrottlePlan FromSetting(string? value) => string.IsNullOrWhiteSpace(value) ? None : Parse(value);

    /// <summary>True when the <paramref name="call"/>-th EC2 call (counted from 1) is to be throttled.</summary>
    public bool Throttles(long call)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(call, 1);
        return call * Numerator / Denominator > (call - 1) * Numerator / Denominator;
    }

    public override string ToString() => IsActive ? $"{Numerator}/{Denominator} of EC2 calls" : "no EC2 calls";
}
