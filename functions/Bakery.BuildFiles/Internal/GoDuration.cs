using System.Globalization;

namespace Bakery.BuildFiles.Internal;

/// <summary>Go's <c>time.ParseDuration</c> format (<c>300ms</c>, <c>1.5h</c>, <c>2h45m</c>), as Packer's durations are written.</summary>
internal static class GoDuration
{
    public static bool TryParseSeconds(string text, out int seconds)
    {
        seconds = 0;
        if (text is "0" or "")
        {
            return text == "0";
        }

        var index = 0;
        var sign = 1.0;
        if (text[0] is '-' or '+')
        {
            sign = text[0] == '-' ? -1 : 1;
            index++;
        }

        double total = 0;
        var any = false;
        while (index < text.Length)
        {
            var start = index;
            while (index < text.Length && (char.IsAsciiDigit(text[index]) || text[index] == '.'))
            {
                index++;
            }

            if (start == index || !double.TryParse(text.AsSpan(start, index - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            var unitStart = index;
            while (index < text.Length && !char.IsAsciiDigit(text[index]) && text[index] != '.')
            {
                index++;
            }

            double? factor = text[unitStart..index] switch
            {
                "ns" => 1e-9,
                "us" or "µs" or "μs" => 1e-6,
                "ms" => 1e-3,
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => null,
            };
            if (factor is null)
            {
                return false;
            }

            total += number * factor.Value;
            any = true;
        }

        if (!any || sign < 0 || total > int.MaxValue)
        {
            return false;
        }

        seconds = (int)Math.Ceiling(total);
        return true;
    }
}
