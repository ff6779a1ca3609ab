using System.Globalization;

namespace Bakery.Core.Templates.Internal;

/// <summary>Go's printing of values (<c>fmt.Print</c>'s <c>%v</c>).</summary>
internal static class GoFormat
{
    /// <summary>Go's <c>%v</c> for float64: shortest representation, exponent form below 1e-4 or from 1e21.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        var magnitude = Math.Abs(value);
        if (magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e21))
        {
            // Go: 1e+21, 1.5e-05 (exponent at least two digits).
            var text = value.ToString("E16", CultureInfo.InvariantCulture);
            var shortest = value.ToString("R", CultureInfo.InvariantCulture);
            var ePos = shortest.IndexOfAny(['E', 'e']);
            string mantissa;
            int exponent;
            if (ePos >= 0)
            {
                mantissa = shortest[..ePos];
                exponent = int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
            else
            {
                _ = text;
                var digits = decimal.Parse(shortest, NumberStyles.Float, CultureInfo.InvariantCulture);
                exponent = (int)Math.Floor(Math.Log10(magnitude));
                mantissa = (digits / (decimal)Math.Pow(10, exponent)).ToString(CultureInfo.InvariantCulture);
            }

            var sign = exponent < 0 ? '-' : '+';
            return $"{mantissa}e{sign}{Math.Abs(exponent):00}";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }
}
