using System.Globalization;

namespace Bakery.Hcl.Evaluation;

/// <summary>cty's safe conversions between primitive types (a number or bool becomes a string and back).</summary>
public static class HclConvert
{
    public static string ToStringValue(HclValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            HclValueKind.String => value.AsString,
            HclValueKind.Number => HclValue.FormatNumber(value.AsNumber),
            HclValueKind.Bool => value.AsBool ? "true" : "false",
            HclValueKind.Null => throw new HclFunctionException($"{what} is null; a string is required"),
            _ => throw new HclFunctionException($"{what} is a {value.TypeName}; a string is required"),
        };
    }

    public static double ToNumber(HclValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            HclValueKind.Number => value.AsNumber,
            HclValueKind.String when double.TryParse(value.AsString, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
            HclValueKind.Null => throw new HclFunctionException($"{what} is null; a number is required"),
            _ => throw new HclFunctionException($"{what} is {Describe(value)}; a number is required"),
        };
    }

    public static bool ToBool(HclValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            HclValueKind.Bool => value.AsBool,
            HclValueKind.String when value.AsString is "true" => true,
            HclValueKind.String when value.AsString is "false" => false,
            HclValueKind.Null => throw new HclFunctionException($"{what} is null; a bool is required"),
            _ => throw new HclFunctionException($"{what} is {Describe(value)}; a bool is required"),
        };
    }

    public static IReadOnlyList<HclValue> ToList(HclValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind == HclValueKind.List ? value.Items : throw new HclFunctionException($"{what} is {Describe(value)}; a list is required");
    }

    public static IReadOnlyDictionary<string, HclValue> ToObject(HclValue value, string what)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind == HclValueKind.Object ? value.Fields : throw new HclFunctionException($"{what} is {Describe(value)}; a map or object is required");
    }

    public static string Describe(HclValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Kind switch
        {
            HclValueKind.String => value.AsString.Length > 40 ? $"the string \"{value.AsString[..40]}...\"" : $"the string \"{value.AsString}\"",
            HclValueKind.Null => "null",
            HclValueKind.List => "a list",
            HclValueKind.Object => "an object",
            _ => $"the {value.TypeName} {value}",
        };
    }
}
